// Train Model's guided steps: the dataset (when the workspace has several), the base model or a
// bundle to continue from, epochs, batch size, LoRA rank, device and the run folder. The choices
// of the last training are remembered per workspace and proposed the next time. No `vscode`.
import { trainDefault } from '../../server/jobs/options';
import type { Choice, Step } from '../ui/stepTable';
import { BASES, runFolderName, type TrainChoices } from './choices';

export interface TrainStart {
  base?: TrainChoices['base'];
  /** A bundle to continue from. */
  init?: string;
}

export interface TrainAnswers {
  dataset: string;
  start: TrainStart;
  epochs: number | undefined;
  batch: number | undefined;
  loraRank: number | undefined;
  device: string;
  out: string;
}

export interface TrainContext {
  /** The workspace's datasets (the step is asked when there are several). */
  datasets: Choice<string>[];
  /** Bundles training can continue from. */
  bundles: { name: string; description: string; folder: string }[];
  /** The device setting. */
  device: string;
  /** Where a dataset's runs go. */
  runsFolder: (dataset: string) => string;
  freshFolder: (parent: string, base: string) => Promise<string>;
}

function numberDefault(option: 'epochs' | 'batch'): number | undefined {
  const d = trainDefault(option);
  return typeof d === 'number' ? d : undefined;
}

export function trainSteps(ctx: TrainContext): Step<TrainAnswers>[] {
  const starts: Choice<TrainStart>[] = [
    ...BASES.map((b) => ({ label: b, description: b === 'tiny' ? 'small, from random weights (seconds on a CPU)' : 'from random weights (give CLIP weights with Import Pretrained Weights)', value: { base: b } })),
    ...ctx.bundles.map((b) => ({ label: `$(package) continue from ${b.name}`, description: b.description, detail: b.folder, value: { init: b.folder } })),
  ];
  const devices = ['auto', 'cpu', 'cuda', ctx.device].filter((d, i, a) => a.indexOf(d) === i);
  return [
    { id: 'dataset', title: 'dataset', applies: () => ctx.datasets.length > 1, ask: () => ({ kind: 'pick', choices: ctx.datasets }) },
    { id: 'start', title: 'base model or a bundle to continue from', ask: () => ({ kind: 'pick', choices: starts }), proposed: () => ({ base: 'tiny' }) },
    { id: 'epochs', title: 'epochs', ask: () => ({ kind: 'number', min: 1, integer: true, optional: true, emptyMeans: 'the trainer’s default' }), proposed: () => numberDefault('epochs') },
    { id: 'batch', title: 'batch size', ask: () => ({ kind: 'number', min: 1, integer: true, optional: true, emptyMeans: 'the trainer’s default' }), proposed: () => numberDefault('batch') },
    {
      id: 'loraRank',
      title: 'LoRA rank (0: fine-tune every weight)',
      ask: () => ({ kind: 'number', min: 0, integer: true, optional: true, emptyMeans: 'the trainer’s default (LoRA from a bundle, every weight from scratch)' }),
    },
    { id: 'device', title: 'device', ask: () => ({ kind: 'pick', choices: devices.map((d) => ({ label: d, value: d })) }), proposed: () => ctx.device },
    {
      id: 'out',
      title: 'run folder',
      ask: () => ({ kind: 'path' }),
      proposed: (a) => (a.dataset ? ctx.freshFolder(ctx.runsFolder(a.dataset), runFolderName(a.dataset, choicesOf(a))) : undefined),
    },
  ];
}

/** The remembered choices as the steps' answers. */
export function rememberedAnswers(last: TrainChoices): Partial<TrainAnswers> {
  const out: Partial<TrainAnswers> = {};
  if (last.dataset) out.dataset = last.dataset;
  if (last.base !== undefined || last.init !== undefined) out.start = { ...(last.init ? { init: last.init } : { base: last.base }) };
  if (last.epochs !== undefined) out.epochs = last.epochs;
  if (last.batch !== undefined) out.batch = last.batch;
  if (last.loraRank !== undefined) out.loraRank = last.loraRank;
  if (last.device !== undefined) out.device = last.device;
  return out;
}

/** The answers as the choices the trainer's options and the run folder's name come from. */
export function choicesOf(a: Partial<TrainAnswers>): TrainChoices {
  return { dataset: a.dataset, base: a.start?.base, init: a.start?.init, epochs: a.epochs, batch: a.batch, loraRank: a.loraRank, device: a.device };
}
