// One evaluation job (`anomaly-lens eval`, anomalyLens/evaluate): a bundle (and a baseline) on a
// dataset split, written as a report folder (report.json, report.md, report.html).
import { duplicateWarnings } from '../dataset/duplicates';
import type { Split } from '../dataset/types';
import { evaluate, writeReport, type CandidateMode, type Evaluation } from '../eval';
import { defaultBundleDir } from '../model/defaultBundle';
import { checkOutputFolder } from '../util/outputPath';
import type { Progress } from '../util/progress';
import { EVAL_DEFAULTS } from './options';

export interface EvaluateInput {
  dataset: string;
  split?: Split;
  /** Default: the embedded default bundle. */
  bundle?: string;
  baseline?: string;
  candidates?: CandidateMode;
  topK?: number;
  /** Answers less probable than this count as uncertain (default: each bundle's calibrated threshold). */
  uncertainBelow?: number;
  gallery?: number;
  threads?: number;
  batch?: number;
  out: string;
  outLabel?: string;
  /** The tool's version, recorded in the report. */
  version: string;
}

export interface EvaluateHooks {
  progress?: Progress;
  warn?(message: string): void;
}

export interface EvaluateOutcome {
  evaluation: Evaluation;
  files: Awaited<ReturnType<typeof writeReport>>;
  warnings: string[];
}

export async function evaluateToReport(input: EvaluateInput, hooks: EvaluateHooks = {}): Promise<EvaluateOutcome> {
  checkOutputFolder(input.out, input.outLabel);
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    hooks.warn?.(message);
  };
  const evaluation = await evaluate({
    dataset: input.dataset,
    split: input.split ?? EVAL_DEFAULTS.split,
    bundle: input.bundle ?? defaultBundleDir(),
    baseline: input.baseline,
    candidates: input.candidates ?? EVAL_DEFAULTS.candidates,
    topK: input.topK ?? EVAL_DEFAULTS.topK,
    ...(input.uncertainBelow !== undefined ? { uncertainBelow: input.uncertainBelow } : {}),
    threads: input.threads,
    batchSize: input.batch ?? EVAL_DEFAULTS.batch,
    progress: hooks.progress,
    warn,
  });
  // evaluate() has refused an invalid dataset; duplicates pass validate but skew the accuracy.
  duplicateWarnings(input.dataset, evaluation.datasetRecords).forEach(warn);
  const files = await writeReport(evaluation, input.out, { gallery: input.gallery ?? EVAL_DEFAULTS.gallery, version: input.version });
  return { evaluation, files, warnings };
}
