// @pure: the table of jobs, declared once: for each kind, the command that runs it on the command
// line, whether it takes the GPU (GPU jobs run one at a time), the folder it writes and its title,
// from which the CLI's commands, the child server's job list and the extension's notifications
// all derive.
import type { JobKind } from './jobKind';
import { EVAL_DEFAULTS } from './options';

/** A path's last part, as text (the table runs in the extension too). */
function lastPart(path: string): string {
  return path.split(/[/\\]/).filter((part) => part !== '').at(-1) ?? path;
}

type Show = (path: string) => string;

interface JobEntry<P> {
  /** The `anomaly-lens` command of the job; absent for a job only the server runs. */
  command?: string;
  gpu: boolean;
  output(params: P): string;
  /** For people; `show` writes a path as the reader knows it (relative to the workspace in VS Code). */
  title(params: P, show: Show): string;
}

interface Out {
  out: string;
}
interface OfDataset {
  dataset: string;
}
interface TrainJob extends Out, OfDataset {
  init?: string;
  options?: { base?: unknown };
  /** Training goes on in a run folder that has started. */
  resume?: boolean;
}
interface EvaluateJob extends Out, OfDataset {
  bundle?: string;
  split?: string;
}
interface ExportJob extends Out {
  run: string;
  checkpoint?: string;
}
interface ExportDatasetJob extends Out, OfDataset {
  format: 'coco' | 'anomalib';
}
interface ImportJob extends Out {
  clip: string;
  alpha?: string;
}

export const JOBS = {
  createSample: { command: 'sample', gpu: false, output: (p: Out) => p.out, title: (p: Out, show: Show) => `Create the sample dataset in ${show(p.out)}` },
  buildDataset: { command: 'build', gpu: false, output: (p: Out) => p.out, title: (p: Out, show: Show) => `Build ${show(p.out)}` },
  validate: { command: 'validate', gpu: false, output: (p: OfDataset) => p.dataset, title: (p: OfDataset, show: Show) => `Validate ${show(p.dataset)}` },
  exportDataset: {
    command: 'export-dataset',
    gpu: false,
    output: (p: ExportDatasetJob) => p.out,
    title: (p: ExportDatasetJob, show: Show) => `Export ${show(p.dataset)} as ${p.format === 'coco' ? 'COCO' : 'anomalib Folder'} to ${show(p.out)}`,
  },
  train: {
    command: 'train',
    gpu: true,
    output: (p: TrainJob) => p.out,
    title: (p: TrainJob, show: Show) => `${p.resume ? 'Resume' : 'Train'} ${p.init ? `from ${lastPart(p.init)}` : String(p.options?.base ?? 'tiny')} on ${show(p.dataset)}`,
  },
  evaluate: {
    command: 'eval',
    gpu: false,
    output: (p: EvaluateJob) => p.out,
    title: (p: EvaluateJob, show: Show) => `Evaluate ${p.bundle ? lastPart(p.bundle) : 'the default model'} on ${show(p.dataset)} (${p.split ?? EVAL_DEFAULTS.split})`,
  },
  export: { command: 'export', gpu: false, output: (p: ExportJob) => p.out, title: (p: ExportJob, show: Show) => `Export ${show(p.run)} (${p.checkpoint ?? 'best'})` },
  importWeights: {
    command: 'import-weights',
    gpu: false,
    output: (p: ImportJob) => p.out,
    title: (p: ImportJob) => `Import ${lastPart(p.clip)}${p.alpha ? ` + ${lastPart(p.alpha)}` : ''}`,
  },
  review: { gpu: false, output: (p: OfDataset) => p.dataset, title: (p: OfDataset, show: Show) => `Review the labels of ${show(p.dataset)}` },
} as const satisfies Record<JobKind, JobEntry<never>>;

export type JobParamsOf<K extends JobKind> = Parameters<(typeof JOBS)[K]['output']>[0];

/** A job of `kind` for these parameters: its kind, title, GPU flag and output folder. */
export function jobSpec<K extends JobKind>(kind: K, params: JobParamsOf<K>, show: Show = (path) => path): { kind: K; title: string; gpu: boolean; output: string } {
  const job = JOBS[kind] as unknown as JobEntry<JobParamsOf<K>>;
  return { kind, title: job.title(params, show), gpu: job.gpu, output: job.output(params) };
}
