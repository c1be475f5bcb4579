import type { Command } from 'commander';
import { exportRun } from '../../jobs/exportRun';
import { terminalTrainerHooks } from '../../jobs/interactive';
import { JOBS } from '../../jobs/jobTable';

export function register(program: Command): void {
  program
    .command(JOBS.export.command)
    .description('Export a training run\'s checkpoint as a model bundle (LoRA merged, ONNX encoders, text embeddings).')
    .argument('<run>', 'run folder (written by `anomaly-lens train`)')
    .requiredOption('--out <bundle>', 'bundle folder to write (replaced only once the new bundle is complete)')
    .option('--checkpoint <which>', 'best (default; last when there is no validation), last, or a checkpoint file', 'best')
    .option('--python <path>', 'Python with PyTorch (default: $ANOMALY_LENS_PYTHON, python3, /usr/bin/python3)')
    .option('--json', 'print the trainer\'s events as JSON lines')
    .action(async (run: string, opts: { out: string; checkpoint: string; python?: string; json?: boolean }) => {
      const terminal = terminalTrainerHooks({ json: opts.json });
      try {
        const { bundle } = await exportRun({ run, out: opts.out, outLabel: '--out', checkpoint: opts.checkpoint, python: opts.python }, terminal.hooks);
        if (!opts.json) process.stdout.write(`bundle written to ${bundle}\n`);
      } finally {
        terminal.dispose();
      }
    });
}
