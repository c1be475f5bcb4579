import { resolve } from 'node:path';
import type { Command } from 'commander';
import { runTrainerInteractive } from '../../jobs/interactive';
import { checkOutputFolder } from '../../util/outputPath';

export function register(program: Command): void {
  program
    .command('export')
    .description('Export a training run\'s checkpoint as a model bundle (LoRA merged, ONNX encoders, text embeddings).')
    .argument('<run>', 'run folder (written by `anomaly-lens train`)')
    .requiredOption('--out <bundle>', 'bundle folder to write (replaced only once the new bundle is complete)')
    .option('--checkpoint <which>', 'best (default; last when there is no validation), last, or a checkpoint file', 'best')
    .option('--python <path>', 'Python with PyTorch (default: $ANOMALY_LENS_PYTHON, python3, /usr/bin/python3)')
    .option('--json', 'print the trainer\'s events as JSON lines')
    .action(async (run: string, opts: { out: string; checkpoint: string; python?: string; json?: boolean }) => {
      checkOutputFolder(opts.out, '--out');
      const checkpoint = ['best', 'last'].includes(opts.checkpoint) ? opts.checkpoint : resolve(opts.checkpoint);
      const outcome = await runTrainerInteractive({
        python: opts.python,
        json: opts.json,
        args: ['export', '--run', resolve(run), '--out', resolve(opts.out), '--checkpoint', checkpoint],
      });
      if (!opts.json && outcome.kind === 'done') process.stdout.write(`bundle written to ${outcome.event.paths.bundle}\n`);
    });
}
