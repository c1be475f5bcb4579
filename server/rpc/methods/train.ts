import { resolve } from 'node:path';
import { trainerArgs } from '../../cli/commands/train';
import { formatProblem, validateDataset } from '../../dataset/validate';
import { findPython, prepareRun, runTrainer } from '../../jobs';
import { UserError } from '../../util/errors';
import { finishInterruptedSwitch } from '../../dataset/switch';
import { lockRun } from '../../jobs/runLock';
import { Params, nonNegativeInteger, positiveInteger } from '../params';
import { notifyingProgress } from '../progress';
import { TrainRequest, type ProgressParams, type TrainEventParams, type TrainOptions, type TrainParams, type TrainResult } from '../protocol';

const INTEGER_OPTIONS = ['epochs', 'maxSteps', 'batch', 'evalBatch', 'loraR', 'stopAt'] as const;
const COUNT_OPTIONS = ['warmupSteps', 'seed', 'workers', 'cacheMb', 'checkpointEvery', 'keepCheckpoints'] as const;
const NUMBER_OPTIONS = ['lr', 'lrAlphaConv', 'lrConv', 'weightDecay', 'loraAlpha', 'loraDropout', 'temperature'] as const;
const BOOLEAN_OPTIONS = ['alpha', 'export', 'gradCheckpointing'] as const;

function checkOptions(p: Params | undefined): TrainOptions {
  if (!p) return {};
  const options: Record<string, unknown> = {
    base: p.optionalOneOf('base', ['tiny', 'ViT-B/16', 'ViT-L/14', 'ViT-L/14@336px'] as const),
    tune: p.optionalOneOf('tune', ['lora', 'full'] as const),
    schedule: p.optionalOneOf('schedule', ['constant', 'cosine'] as const),
    device: p.optionalOneOf('device', ['auto', 'cpu', 'cuda'] as const),
    amp: p.optionalOneOf('amp', ['auto', 'off', 'fp16', 'bf16'] as const),
  };
  for (const key of INTEGER_OPTIONS) options[key] = p.optionalNumber(key, positiveInteger, 'an integer of at least 1');
  for (const key of COUNT_OPTIONS) options[key] = p.optionalNumber(key, nonNegativeInteger, 'an integer >= 0');
  for (const key of NUMBER_OPTIONS) options[key] = p.optionalNumber(key);
  for (const key of BOOLEAN_OPTIONS) options[key] = p.optionalBoolean(key);
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as TrainOptions;
}

export function checkTrainParams(raw: unknown): TrainParams {
  const p = Params.of(TrainRequest.method, raw);
  return {
    dataset: p.string('dataset'),
    out: p.string('out'),
    init: p.optionalString('init'),
    vocab: p.optionalString('vocab'),
    learnedMerges: p.optionalNumber('learnedMerges', nonNegativeInteger, 'an integer >= 0'),
    python: p.optionalString('python'),
    gpus: p.optionalNumber('gpus', positiveInteger, 'an integer of at least 1'),
    validate: p.optionalBoolean('validate'),
    options: checkOptions(p.optionalObject('options')),
    progressToken: p.optionalString('progressToken'),
  };
}

function abortError(): Error {
  const err = new Error('cancelled before the trainer started');
  err.name = 'AbortError';
  return err;
}

async function checkDataset(dataset: string, progress: ReturnType<typeof notifyingProgress>): Promise<void> {
  const result = await validateDataset(dataset, { onTotal: (n) => progress.start(n, 'checking the dataset'), onRecord: () => progress.tick() });
  progress.stop();
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  const shown = errors.slice(0, 5).map(formatProblem).join('\n');
  throw new UserError(`the dataset ${dataset} has ${errors.length} problem(s), e.g.\n${shown}\nfix them, or train with validate: false`);
}

export interface TrainNotifications {
  progress(params: ProgressParams): void;
  event(params: TrainEventParams): void;
  /** The trainer's own log output. */
  log(text: string): void;
}

/** Prepares the run folder and runs the trainer until it finishes, or stops at a checkpoint when cancelled. */
export async function train(params: TrainParams, signal: AbortSignal, notify: TrainNotifications): Promise<TrainResult> {
  const token = params.progressToken;
  const progress = notifyingProgress(token ? (update) => notify.progress({ token, ...update }) : () => {});
  const python = await findPython(params.python);
  const dataset = resolve(params.dataset);
  await finishInterruptedSwitch(dataset);
  if (params.validate !== false) await checkDataset(dataset, progress);
  if (signal.aborted) throw abortError();
  const lock = lockRun(params.out, 'anomaly-lens server: train');
  try {
    return await trainLocked(params, dataset, python, signal, notify);
  } finally {
    lock.release();
  }
}

async function trainLocked(params: TrainParams, dataset: string, python: Awaited<ReturnType<typeof findPython>>, signal: AbortSignal, notify: TrainNotifications): Promise<TrainResult> {
  const token = params.progressToken;
  const run = await prepareRun({ dataset, run: params.out, init: params.init, vocab: params.vocab, learnedMerges: params.learnedMerges });
  const emit = (event: TrainEventParams['event']): void => {
    if (token) notify.event({ token, event });
  };
  for (const text of run.truncated) emit({ type: 'warning', message: `description cut to the context length: ${JSON.stringify(text)}` });
  if (signal.aborted) throw abortError();

  const options = params.options ?? {};
  const gpus = options.device === 'cpu' ? 1 : (params.gpus ?? Math.max(1, python.cudaDevices));
  if (gpus > 1 && python.cudaDevices < gpus) throw new UserError(`gpus ${gpus}, but PyTorch sees ${python.cudaDevices} GPU(s)`);
  const given = options as Record<string, unknown>;
  const outcome = await runTrainer({
    python: python.executable,
    args: trainerArgs({ dataset: run.dataset, tokens: run.tokens, merges: run.merges, out: run.run }, given, (name) => given[name] !== undefined),
    processes: gpus,
    signal,
    onEvent: emit,
    onStderr: notify.log,
  });
  return outcome.kind === 'done' ? { kind: 'done', run: run.run, event: outcome.event } : { kind: 'stopped', run: run.run, event: outcome.event };
}
