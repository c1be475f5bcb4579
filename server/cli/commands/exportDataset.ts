import { Option, type Command } from 'commander';
import { exportDataset, EXPORT_FORMATS, type DatasetExportFormat, type DatasetExportResult } from '../../dataset/export';
import { ANOMALIB_FOLDERS } from '../../dataset/export/anomalib';
import { JOBS } from '../../jobs/jobTable';
import { createProgress } from '../progress';
import { formatBuildProblem } from './build';

function summary(r: DatasetExportResult): string {
  const lines = [`${r.format === 'coco' ? 'COCO' : 'anomalib Folder'} export written to ${r.out}`];
  if (r.format === 'coco') lines.push(`  ${r.images} images, ${r.regions} regions, ${r.categories} categories (one per class, its description as the name) in annotations.json`);
  else {
    lines.push(`  ${r.objects.length} object folder(s): ${r.images} anomalous images with their masks, ${r.normalImages} normal images`);
    lines.push(`  anomalib: Folder(name=<object>, root="${r.out}/<object>", normal_dir="${ANOMALIB_FOLDERS.normal}", abnormal_dir="${ANOMALIB_FOLDERS.abnormal}", mask_dir="${ANOMALIB_FOLDERS.mask}")`);
  }
  const errors = r.problems.filter((p) => p.severity === 'error').length;
  if (r.problems.length > 0) lines.push(`  ${errors} error(s), ${r.problems.length - errors} warning(s), listed on stderr`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command(JOBS.exportDataset.command)
    .description("Export a built dataset for other tools: COCO instance segmentation (RLE masks, one category per class with its description) or anomalib's Folder layout (normal, abnormal and mask folders per object).")
    .argument('<dataset>', 'dataset folder (holds dataset.json)')
    .addOption(new Option('--format <format>', 'what to write').choices(EXPORT_FORMATS).makeOptionMandatory())
    .requiredOption('--out <dir>', 'folder to write: new, empty or an earlier export (replaced only once the new export is complete)')
    .option('--json', 'print one JSON result object')
    .action(async (dataset: string, opts: { format: DatasetExportFormat; out: string; json?: boolean }) => {
      const result = await exportDataset({ dataset, format: opts.format, out: opts.out, outLabel: '--out', progress: createProgress({ enabled: !opts.json }) });
      if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        for (const p of result.problems) process.stderr.write(`${formatBuildProblem(p)}\n`);
        process.stdout.write(summary(result));
      }
      if (result.problems.some((p) => p.severity === 'error')) process.exitCode = 1;
    });
}
