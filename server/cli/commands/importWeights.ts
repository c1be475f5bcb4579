import type { Command } from 'commander';
import { importWeights, type ImportInput } from '../../jobs/importWeights';
import { terminalTrainerHooks } from '../../jobs/interactive';
import { JOBS } from '../../jobs/jobTable';

/** The job's own options, as the flags below give them, and how to print. */
type ImportOptions = Omit<ImportInput, 'outLabel'> & { json?: boolean };

export function register(program: Command): void {
  program
    .command(JOBS.importWeights.command)
    .description('Import published weights (OpenAI CLIP, optionally an AlphaCLIP visual checkpoint) as a model bundle, the baseline and the starting point of `train --init`. Files are given by the user; nothing is downloaded.')
    .requiredOption('--clip <file>', 'OpenAI CLIP weights of the size wanted (ViT-B-16.pt, ViT-L-14.pt, ViT-L-14-336px.pt)')
    .option('--alpha <file>', 'AlphaCLIP visual checkpoint of the same size (.pth); without it conv1_alpha is zero, i.e. plain CLIP')
    .requiredOption('--vocab <merges>', 'CLIP\'s BPE merges file (bpe_simple_vocab_16e6.txt.gz, shipped with CLIP and AlphaCLIP)')
    .requiredOption('--out <bundle>', 'bundle folder to write')
    .option('--dataset <dir>', 'also store the text embeddings of this dataset\'s descriptions in the bundle')
    .option('--whole-image', 'a whole-image model: the alpha input is ignored')
    .option('--python <path>', 'Python with PyTorch (default: $ANOMALY_LENS_PYTHON, python3, /usr/bin/python3)')
    .option('--json', 'print the trainer\'s events as JSON lines')
    .action(async (opts: ImportOptions) => {
      const terminal = terminalTrainerHooks({ json: opts.json });
      try {
        const { bundle } = await importWeights({ ...opts, outLabel: '--out' }, terminal.hooks);
        if (!opts.json) process.stdout.write(`bundle written to ${bundle}\n`);
      } finally {
        terminal.dispose();
      }
    });
}
