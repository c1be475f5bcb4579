import type { Command } from 'commander';
import { formatProblem, validateDataset } from '../../dataset/validate';
import { createProgress } from '../progress';
import { JOBS } from '../../jobs/jobTable';

export function register(program: Command): void {
  program
    .command(JOBS.validate.command)
    .description('Check a built dataset: manifest, every jsonl line, path confinement, region PNGs against their records, descriptions. Exit 0 when valid, 1 otherwise.')
    .argument('<dir>', 'dataset folder (holds dataset.json)')
    .option('--json', 'print one JSON result object')
    .action(async (dir: string, opts) => {
      const progress = createProgress({ enabled: !opts.json });
      let result;
      try {
        result = await validateDataset(dir, { onTotal: (n) => progress.start(n, 'validate'), onRecord: () => progress.tick() });
      } finally {
        progress.stop();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        for (const p of result.problems) process.stdout.write(`${formatProblem(p)}\n`);
        const { train, val, test } = result.counts;
        const images = train.images + val.images + test.images;
        const regions = train.regions + val.regions + test.regions;
        process.stdout.write(
          result.valid
            ? `valid: ${images} images, ${regions} regions (train ${train.images}, val ${val.images}, test ${test.images})\n`
            : `invalid: ${result.problems.filter((p) => p.severity === 'error').length} problem(s)\n`,
        );
      }
      process.exitCode = result.valid ? 0 : 1;
    });
}
