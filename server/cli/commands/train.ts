import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { validateDataset, formatProblem } from '../../dataset/validate';
import { findPython } from '../../jobs/findPython';
import { runTrainerInteractive } from '../../jobs/interactive';
import { doneText, evalLine, startLine, stepInfo, stoppedText } from '../../jobs/progressText';
import { DEFAULT_LEARNED_MERGES, RUN_INFO, prepareRun } from '../../jobs/trainSetup';
import type { TrainEvent } from '../../jobs/trainProgress';
import { UserError } from '../../util/errors';
import { finishInterruptedSwitch } from '../../dataset/switch';
import { lockRun } from '../../jobs/runLock';
import { checkOutputFolder } from '../../util/outputPath';
import { finiteNumber, integerAtLeast, maxWorkers, workersOption } from '../options';
import { createProgress } from '../progress';

const SIZES = ['tiny', 'ViT-B/16', 'ViT-L/14', 'ViT-L/14@336px'];

const integer = integerAtLeast;
const number = finiteNumber;

/** Options passed to the trainer as they are, only when given (the trainer owns the defaults). */
const PASSED: ReadonlyArray<[option: string, flag: string]> = [
  ['base', '--base'], ['init', '--init'], ['tune', '--tune'], ['epochs', '--epochs'], ['maxSteps', '--max-steps'],
  ['batch', '--batch'], ['evalBatch', '--eval-batch'], ['lr', '--lr'], ['lrAlphaConv', '--lr-alpha-conv'],
  ['lrConv', '--lr-conv'], ['weightDecay', '--weight-decay'], ['loraR', '--lora-r'], ['loraAlpha', '--lora-alpha'],
  ['loraDropout', '--lora-dropout'], ['temperature', '--temperature'], ['schedule', '--schedule'],
  ['warmupSteps', '--warmup-steps'], ['seed', '--seed'], ['device', '--device'], ['amp', '--amp'],
  ['workers', '--workers'], ['cacheMb', '--cache-mb'], ['checkpointEvery', '--checkpoint-every'],
  ['keepCheckpoints', '--keep-checkpoints'], ['stopAt', '--stop-at'],
];

/** The trainer's arguments: the run's files, then each option the user gave. */
export function trainerArgs(files: { dataset: string; tokens: string; merges: string; out: string }, opts: Record<string, unknown>, given: (name: string) => boolean): string[] {
  const args = ['train', '--dataset', files.dataset, '--tokens', files.tokens, '--merges', files.merges, '--out', files.out];
  for (const [name, flag] of PASSED) {
    if (given(name) && opts[name] !== undefined) args.push(flag, String(opts[name]));
  }
  if (given('alpha') && opts.alpha === false) args.push('--no-alpha');
  if (given('export') && opts.export === false) args.push('--no-export');
  if (opts.gradCheckpointing) args.push('--grad-checkpointing');
  return args;
}

/** A terminal progress bar over the steps, with the latest loss and validation accuracy. */
function progressDisplay(enabled: boolean): (event: TrainEvent) => void {
  const bar = createProgress({ enabled });
  let epochs = 1;
  let lastStep = 0;
  let accuracy: number | null | undefined;
  let preparing: string | undefined;
  let prepared = 0;
  return (event) => {
    switch (event.type) {
      case 'prepare':
        if (preparing !== event.split) {
          bar.stop();
          bar.start(event.total, `decoding ${event.split}`);
          preparing = event.split;
          prepared = 0;
        }
        bar.tick(event.done - prepared, '');
        prepared = event.done;
        break;
      case 'start':
        bar.stop();
        process.stderr.write(`${startLine(event)}\n`);
        epochs = event.epochs;
        lastStep = event.resumed_from ?? 0;
        bar.start(event.steps.total, 'train');
        if (lastStep > 0) bar.tick(lastStep, '');
        break;
      case 'step':
        bar.tick(event.step - lastStep, stepInfo(event, epochs, accuracy));
        lastStep = event.step;
        break;
      case 'eval':
        accuracy = event.val_accuracy;
        if (!enabled || !process.stderr.isTTY) process.stderr.write(`${evalLine(event)}\n`);
        break;
      case 'stopped':
      case 'done':
      case 'error':
        bar.stop();
        break;
      default:
        break;
    }
  };
}

export function register(program: Command): void {
  program
    .command('train')
    .description('Fine-tune AlphaCLIP on a region dataset (supervised contrastive loss; LoRA from pretrained weights, full tuning from scratch) and export a model bundle. Runs the Python trainer; an interrupted run resumes when started again.')
    .option('--dataset <dir>', 'dataset folder (dataset.json, train.jsonl, val.jsonl); optional when resuming')
    .requiredOption('--out <run>', 'run folder: checkpoints, run.json, bundle/ (a folder holding a run is resumed)')
    .addOption(new Option('--base <size>', 'model size when training from scratch (default tiny)').choices(SIZES))
    .option('--init <path>', 'starting weights: a model bundle (e.g. from import-weights), a run folder or checkpoint')
    .option('--vocab <merges>', 'tokenizer merges file to use (needed with --init of bare CLIP weights; default: the --init model\'s own, or one learnt from the descriptions)')
    .option('--learned-merges <n>', `merges learnt from the descriptions without --init/--vocab (default ${DEFAULT_LEARNED_MERGES})`, integer(0))
    .option('--epochs <n>', 'epochs (default 10)', integer(1))
    .option('--max-steps <n>', 'end the schedule after this many steps', integer(1))
    .option('--batch <n>', 'global training batch (default 64)', integer(1))
    .option('--eval-batch <n>', 'evaluation batch (default 256)', integer(1))
    .option('--lr <x>', 'learning rate of the LoRA adapters (default 1e-4) or of the visual tower (from scratch 5e-4)', number)
    .option('--lr-alpha-conv <x>', 'conv1_alpha learning rate (default 1e-4; from scratch: --lr)', number)
    .option('--lr-conv <x>', 'conv1 learning rate (default 1e-6; from scratch: --lr)', number)
    .option('--weight-decay <x>', 'AdamW weight decay (default 1e-4)', number)
    .addOption(new Option('--tune <mode>', 'lora (default with --init) or full (default from scratch)').choices(['lora', 'full']))
    .option('--lora-r <n>', 'LoRA rank (default 64)', integer(1))
    .option('--lora-alpha <x>', 'LoRA alpha (default 64)', number)
    .option('--lora-dropout <x>', 'LoRA dropout (default 0.1)', number)
    .option('--temperature <x>', 'supervised contrastive temperature (default 0.07)', number)
    .addOption(new Option('--schedule <kind>', 'learning-rate schedule (default constant)').choices(['constant', 'cosine']))
    .option('--warmup-steps <n>', 'linear warmup steps (default 0)', integer(0))
    .option('--no-alpha', 'train the whole-image variant (the region mask is not used)')
    .option('--seed <s>', 'random seed (default 0)', integer(0))
    .addOption(new Option('--device <d>', 'default: CUDA when PyTorch sees a GPU').choices(['auto', 'cpu', 'cuda']))
    .addOption(new Option('--amp <mode>', 'mixed precision on CUDA (default auto: bf16 where supported)').choices(['auto', 'off', 'fp16', 'bf16']))
    .option('--gpus <n>', 'processes (one per GPU) under torchrun; default: every GPU PyTorch sees', integer(1))
    .option('--workers <n>', `decoding threads / data-loader processes, 1 to ${maxWorkers()}`, workersOption())
    .option('--cache-mb <n>', 'keep decoded samples in memory up to this size (default 4096)', integer(0))
    .option('--checkpoint-every <n>', 'also checkpoint every n steps (default: at epoch ends)', integer(0))
    .option('--keep-checkpoints <n>', 'step checkpoints kept (default 3; 0 keeps all)', integer(0))
    .option('--stop-at <step>', 'stop cleanly after this step (resumable)', integer(1))
    .option('--no-export', 'do not export RUN/bundle at the end')
    .option('--grad-checkpointing', 'recompute activations in the backward pass (less GPU memory)')
    .option('--no-validate', 'skip the full dataset check before training')
    .option('--python <path>', 'Python with PyTorch (default: $ANOMALY_LENS_PYTHON, python3, /usr/bin/python3)')
    .option('--json', 'print the trainer\'s progress events as JSON lines')
    .action(async (opts, command: Command) => {
      const given = (name: string): boolean => command.getOptionValueSource(name) === 'cli';
      checkOutputFolder(opts.out, '--out');
      const python = await findPython(opts.python);
      const dataset = opts.dataset ?? (await datasetOfRun(opts.out));
      await finishInterruptedSwitch(dataset);
      if (opts.validate !== false) await checkDataset(dataset);
      const lock = lockRun(opts.out, 'anomaly-lens train');
      try {
        await trainLocked(opts, given, python, dataset);
      } finally {
        lock.release();
      }
    });
}

type TrainCommandOptions = Record<string, unknown> & {
  out: string;
  init?: string;
  vocab?: string;
  learnedMerges?: number;
  json?: boolean;
  device?: string;
  gpus?: number;
};

/** The run, with its folder locked. */
async function trainLocked(opts: TrainCommandOptions, given: (name: string) => boolean, python: Awaited<ReturnType<typeof findPython>>, dataset: string): Promise<void> {
  const run = await prepareRun({ dataset, run: opts.out, init: opts.init, vocab: opts.vocab, learnedMerges: opts.learnedMerges });
  if (!opts.json) {
    const how = run.resuming ? 'resuming the run' : `vocabulary of ${run.vocabSize} tokens from ${run.tokenizerFrom}`;
    process.stderr.write(`${run.descriptions.length} descriptions; ${how}\n`);
    for (const text of run.truncated) process.stderr.write(`warning: description cut to the context length: ${JSON.stringify(text)}\n`);
  }
  const gpus = opts.device === 'cpu' ? 1 : (opts.gpus ?? Math.max(1, python.cudaDevices));
  if (gpus > 1 && python.cudaDevices < gpus) throw new UserError(`--gpus ${gpus}, but PyTorch sees ${python.cudaDevices} GPU(s)`);
  const outcome = await runTrainerInteractive({
    python,
    json: opts.json,
    processes: gpus,
    args: trainerArgs({ dataset: run.dataset, tokens: run.tokens, merges: run.merges, out: run.run }, opts, given),
    onEvent: progressDisplay(!opts.json),
  });
  if (opts.json) return;
  process.stdout.write(outcome.kind === 'done' ? doneText(outcome.event) : stoppedText(outcome.event));
}

async function datasetOfRun(run: string): Promise<string> {
  try {
    const info = JSON.parse(await readFile(join(run, RUN_INFO), 'utf8')) as { config?: { dataset?: string } };
    if (info.config?.dataset) return info.config.dataset;
  } catch {
    // no run there yet
  }
  throw new UserError('--dataset is required (the run folder holds no run to resume)');
}

async function checkDataset(dataset: string): Promise<void> {
  const result = await validateDataset(dataset);
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  for (const p of errors.slice(0, 20)) process.stderr.write(`${formatProblem(p)}\n`);
  const more = errors.length > 20 ? ` (the first 20 above)` : ' (above)';
  throw new UserError(`the dataset ${dataset} has ${errors.length} problem(s)${more}; fix them, or train anyway with --no-validate`);
}
