import type { Command } from 'commander';
import { datasetStatistics } from '../../jobs/stats';

export function register(program: Command): void {
  program
    .command('stats')
    .description('Print the statistics of a built dataset: images per object and split (Table 1), images by number of regions (Table 2), regions per defect class.')
    .argument('<dir>', 'dataset folder (holds dataset.json)')
    .option('--json', 'print JSON instead of Markdown')
    .action(async (dir: string, opts) => {
      const { stats, markdown, warnings } = await datasetStatistics(dir);
      for (const warning of warnings) process.stderr.write(`anomaly-lens: warning: ${warning}\n`);
      process.stdout.write(opts.json ? `${JSON.stringify({ ...stats, warnings }, null, 2)}\n` : markdown);
    });
}
