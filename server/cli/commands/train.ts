import { Command, Option } from 'commander';
import { formatProblem } from '../../dataset/validate';
import { findPython } from '../../jobs/findPython';
import { terminalTrainerHooks } from '../../jobs/interactive';
import { TRAIN_OPTIONS, type TrainOptionSpec } from '../../jobs/options';
import { doneText, evalLine, startLine, stepInfo, stoppedText } from '../../jobs/progressText';
import { InvalidDatasetError, trainModel } from '../../jobs/train';
import { DEFAULT_LEARNED_MERGES } from '../../jobs/trainSetup';
import type { TrainEvent } from '../../jobs/trainProgress';
import { UserError } from '../../util/errors';
import { finiteNumber, integerAtLeast, maxWorkers, workersOption } from '../options';
import { createProgress } from '../progress';
import { JOBS } from '../../jobs/jobTable';

/** A trainer option as a command-line option (the table in jobs/options.ts). */
function trainerOption(spec: TrainOptionSpec): Option {
  const shown = spec.default !== undefined && spec.kind !== 'boolean' ? ` (default ${spec.default})` : '';
  if (spec.kind === 'boolean') {
    return spec.default ? new Option(spec.flag.replace(/^--/, '--no-'), spec.help) : new Option(spec.flag, spec.help);
  }
  if (spec.kind === 'choice') return new Option(`${spec.flag} <value>`, `${spec.help}${shown}`).choices(spec.choices as string[]);
  if (spec.key === 'workers') return new Option(`${spec.flag} <n>`, `${spec.help}, 1 to ${maxWorkers()}`).argParser(workersOption());
  const parse = spec.kind === 'number' ? finiteNumber : integerAtLeast(spec.kind === 'positiveInteger' ? 1 : 0);
  return new Option(`${spec.flag} <${spec.kind === 'number' ? 'x' : 'n'}>`, `${spec.help}${shown}`).argParser(parse);
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
  const command = program
    .command(JOBS.train.command)
    .description('Fine-tune AlphaCLIP on a region dataset (supervised contrastive loss; LoRA from pretrained weights, full tuning from scratch) and export a model bundle. Runs the Python trainer; an interrupted run resumes when started again.')
    .option('--dataset <dir>', 'dataset folder (dataset.json, train.jsonl, val.jsonl); optional when resuming')
    .requiredOption('--out <run>', 'run folder: checkpoints, run.json, bundle/ (a folder holding a run is resumed)')
    .option('--init <path>', 'starting weights: a model bundle (e.g. from import-weights), a run folder or checkpoint')
    .option('--vocab <merges>', 'tokenizer merges file to use (needed with --init of bare CLIP weights; default: the --init model\'s own, or one learnt from the descriptions)')
    .option('--learned-merges <n>', `merges learnt from the descriptions without --init/--vocab (default ${DEFAULT_LEARNED_MERGES})`, integerAtLeast(0));
  for (const spec of TRAIN_OPTIONS) command.addOption(trainerOption(spec));
  command
    .option('--gpus <n>', 'processes (one per GPU) under torchrun; default: every GPU PyTorch sees', integerAtLeast(1))
    .option('--no-validate', 'skip the full dataset check before training')
    .option('--python <path>', 'Python with PyTorch (default: $ANOMALY_LENS_PYTHON, python3, /usr/bin/python3)')
    .option('--json', 'print the trainer\'s progress events as JSON lines')
    .action(async (opts: TrainCommandOptions, cmd: Command) => {
      const given = (name: string): boolean => cmd.getOptionValueSource(name) === 'cli';
      const options = Object.fromEntries(TRAIN_OPTIONS.filter((o) => given(o.key)).map((o) => [o.key, opts[o.key]]));
      const python = await findPython(opts.python);
      const terminal = terminalTrainerHooks({ json: opts.json, onEvent: progressDisplay(!opts.json) });
      try {
        const outcome = await trainModel(
          { dataset: opts.dataset, datasetLabel: '--dataset', out: opts.out, outLabel: '--out', init: opts.init, vocab: opts.vocab, learnedMerges: opts.learnedMerges, python, gpus: opts.gpus, validate: opts.validate, options },
          {
            ...terminal.hooks,
            onPrepared: (run) => {
              if (opts.json) return;
              const how = run.resuming ? 'resuming the run' : `vocabulary of ${run.vocabSize} tokens from ${run.tokenizerFrom}`;
              process.stderr.write(`${run.descriptions.length} descriptions; ${how}\n`);
              for (const text of run.truncated) process.stderr.write(`warning: description cut to the context length: ${JSON.stringify(text)}\n`);
            },
          },
        );
        if (!opts.json) process.stdout.write(outcome.kind === 'done' ? doneText(outcome.event) : stoppedText(outcome.event));
      } catch (err) {
        if (!(err instanceof InvalidDatasetError)) throw err;
        for (const p of err.problems.slice(0, 20)) process.stderr.write(`${formatProblem(p)}\n`);
        const more = err.problems.length > 20 ? ' (the first 20 above)' : ' (above)';
        throw new UserError(`the dataset ${err.dataset} has ${err.problems.length} problem(s)${more}; fix them, or train anyway with --no-validate`);
      } finally {
        terminal.dispose();
      }
    });
}

type TrainCommandOptions = Record<string, unknown> & {
  out: string;
  dataset?: string;
  init?: string;
  vocab?: string;
  learnedMerges?: number;
  json?: boolean;
  python?: string;
  gpus?: number;
  validate?: boolean;
};
