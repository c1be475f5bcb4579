// One training job, as the CLI's `train` and the server's anomalyLens/train both run it: the
// dataset checked, the run folder locked and prepared (tokens, merges), the Python trainer run
// until it finishes, or stops at a checkpoint when the signal aborts.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { withReaderLease } from '../dataset/readerLease';
import { readSteady } from '../dataset/steadyRead';
import { formatProblem, validateDataset } from '../dataset/validate';
import { UserError } from '../util/errors';
import type { Problem } from '../util/problem';
import { checkOutputFolder } from '../util/outputPath';
import type { Progress } from '../util/progress';
import { findPython, type PythonInfo } from './findPython';
import { trainOptionArgs } from './options';
import { runTrainer } from './runner';
import { lockRun } from './runLock';
import { RUN_INFO, prepareRun, type PreparedRun } from './trainSetup';
import type { DoneEvent, StoppedEvent, TrainEvent } from './trainProgressTypes';

export interface TrainInput {
  /** Optional when resuming: the run's own dataset. */
  dataset?: string;
  /** How messages name the dataset parameter (e.g. '--dataset'). */
  datasetLabel?: string;
  out: string;
  /** How messages name the run folder (e.g. '--out'). */
  outLabel?: string;
  /** Starting weights: a model bundle, a run folder or a checkpoint. */
  init?: string;
  vocab?: string;
  learnedMerges?: number;
  /** Python with PyTorch, or the one found already. */
  python?: string | PythonInfo;
  gpus?: number;
  /** Check the dataset fully first (default true). */
  validate?: boolean;
  /** The trainer's options by TRAIN_OPTIONS key; absent ones take the trainer's defaults. */
  options?: Record<string, unknown>;
}

export interface TrainHooks {
  /** Aborting stops the trainer at a checkpoint (or the job before the trainer starts). */
  signal?: AbortSignal;
  /** The dataset check's progress. */
  progress?: Progress;
  onEvent?(event: TrainEvent): void;
  /** The trainer's log output (stderr), as it comes. */
  onLog?(text: string): void;
  /** The run folder is ready; the trainer starts next. */
  onPrepared?(run: PreparedRun): void;
  /** Who holds the run's lock, for a second job on the same folder. */
  lockOwner?: string;
}

export type TrainOutcome = { kind: 'done'; run: string; event: DoneEvent } | { kind: 'stopped'; run: string; event: StoppedEvent };

/** The dataset failed the check before training. */
export class InvalidDatasetError extends UserError {
  constructor(
    readonly dataset: string,
    readonly problems: Problem[],
  ) {
    const shown = problems.slice(0, 5).map(formatProblem).join('\n');
    super(`the dataset ${dataset} has ${problems.length} problem(s), e.g.\n${shown}\nfix them, or train without the check`);
    this.name = 'InvalidDatasetError';
  }
}

export function cancelledError(what: string): Error {
  const err = new Error(`${what} was cancelled`);
  err.name = 'AbortError';
  return err;
}

async function datasetOfRun(run: string, label = 'the dataset'): Promise<string> {
  try {
    const info = JSON.parse(await readFile(join(run, RUN_INFO), 'utf8')) as { config?: { dataset?: string } };
    if (info.config?.dataset) return info.config.dataset;
  } catch {
    // no run there yet
  }
  throw new UserError(`${label} is required (the run folder holds no run to resume)`);
}

async function checkDataset(dataset: string, progress: Progress | undefined): Promise<void> {
  const result = await validateDataset(dataset, { onTotal: (n) => progress?.start(n, 'checking the dataset'), onRecord: () => progress?.tick() });
  progress?.stop();
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new InvalidDatasetError(dataset, errors);
}

/** The trainer's arguments: the run's files, the starting weights, then each option given. */
export function trainerArgs(run: PreparedRun, init: string | undefined, options: Record<string, unknown>): string[] {
  const args = ['train', '--dataset', run.dataset, '--tokens', run.tokens, '--merges', run.merges, '--out', run.run];
  if (init) args.push('--init', resolve(init));
  return [...args, ...trainOptionArgs(options)];
}

/** Trains into `input.out` (resuming the run it holds) and answers how the trainer ended. */
export async function trainModel(input: TrainInput, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  checkOutputFolder(input.out, input.outLabel);
  const python = typeof input.python === 'object' ? input.python : await findPython(input.python);
  const dataset = resolve(input.dataset ?? (await datasetOfRun(input.out, input.datasetLabel)));
  // A rebuild while the trainer reads the dataset keeps the files it reads.
  return withReaderLease(dataset, 'anomaly-lens train', () => trainOn(dataset, python, input, hooks));
}

async function trainOn(dataset: string, python: PythonInfo, input: TrainInput, hooks: TrainHooks): Promise<TrainOutcome> {
  // No switch under way: one a dead build left is finished, one a live build makes is waited for.
  await readSteady(dataset, async () => undefined);
  if (input.validate !== false) await checkDataset(dataset, hooks.progress);
  if (hooks.signal?.aborted) throw cancelledError('the training');
  const lock = lockRun(input.out, hooks.lockOwner ?? 'anomaly-lens train');
  try {
    const run = await prepareRun({ dataset, run: input.out, init: input.init, vocab: input.vocab, learnedMerges: input.learnedMerges });
    hooks.onPrepared?.(run);
    if (hooks.signal?.aborted) throw cancelledError('the training');
    const options = input.options ?? {};
    const gpus = options.device === 'cpu' ? 1 : (input.gpus ?? Math.max(1, python.cudaDevices));
    if (gpus > 1 && python.cudaDevices < gpus) throw new UserError(`${gpus} GPUs asked for, but PyTorch sees ${python.cudaDevices}`);
    const outcome = await runTrainer({
      python: python.executable,
      args: trainerArgs(run, input.init, options),
      processes: gpus,
      signal: hooks.signal,
      onEvent: hooks.onEvent,
      onStderr: hooks.onLog,
    });
    return outcome.kind === 'done' ? { kind: 'done', run: run.run, event: outcome.event } : { kind: 'stopped', run: run.run, event: outcome.event };
  } finally {
    lock.release();
  }
}
