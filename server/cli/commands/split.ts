import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { setMaxPixels } from '../../image/pixelLimit';
import { writeRegionFiles } from '../../image/regionFiles';
import { splitMaskFile } from '../../jobs/split';
import { SPLIT_DEFAULTS, SPLIT_MODES } from '../../masks/splitDefaults';
import type { SplitMode } from '../../masks/types';
import { maxPixelsOption } from '../maxPixelsOption';
import { checkOutputFolder } from '../../util/outputPath';
import { maxOf } from '../../util/arrays';

interface SplitCommandOptions {
  eps: number;
  minPts: number;
  minArea: number;
  mode: SplitMode;
  threshold?: number;
  classIds?: boolean;
  out?: string;
  json?: boolean;
  maxPixels?: number;
}

function number(check: (n: number) => boolean, expected: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !check(n)) throw new InvalidArgumentError(`expected ${expected}`);
    return n;
  };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => maxOf(rows.map((row) => row[c].length)));
  const numeric = rows[0].map((_, c) => rows.slice(1).every((row) => /^\d*$/.test(row[c])));
  return rows.map((row) => row.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n');
}

export function register(program: Command): void {
  program
    .command('split')
    .description('Split a mask into its individual anomaly regions: DBSCAN over the anomalous pixels (paper eq. 4) or connected components.')
    .argument('<mask>', 'mask image: PNG (1/8/16-bit grey, palette, RGB(A)), JPEG, or any format sharp reads')
    .option('--eps <pixels>', 'DBSCAN radius: pixels closer than this are neighbours', number((n) => n > 0, 'a positive number'), SPLIT_DEFAULTS.eps)
    .option('--min-pts <n>', 'DBSCAN: pixels within eps (itself included) that make a core pixel', number((n) => Number.isInteger(n) && n >= 1, 'an integer of at least 1'), SPLIT_DEFAULTS.minPts)
    .option('--min-area <pixels>', 'drop regions with fewer pixels', number((n) => n >= 0, 'a number >= 0'), SPLIT_DEFAULTS.minArea)
    .addOption(new Option('--mode <mode>', 'dbscan, or 4- / 8-connected components').choices(SPLIT_MODES).default(SPLIT_DEFAULTS.mode))
    .option('--threshold <value>', 'mask values above this are anomaly (default 0; 127 for JPEG masks)', number((n) => n >= 0, 'a number >= 0'))
    .option('--class-ids', 'the mask holds class ids: split each value separately and report it')
    .option('--out <dir>', 'write region-000.png, region-001.png, … (0/255, the size of the mask) into this folder')
    .option('--json', 'print the result as one JSON object')
    .addOption(maxPixelsOption())
    .action(async (maskFile: string, options: SplitCommandOptions) => {
      if (options.out) checkOutputFolder(options.out, '--out');
      setMaxPixels(options.maxPixels);
      const result = await splitMaskFile({ mask: maskFile, mode: options.mode, eps: options.eps, minPts: options.minPts, minArea: options.minArea, threshold: options.threshold, classIds: options.classIds });
      for (const warning of result.warnings) process.stderr.write(`anomaly-lens: warning: ${warning}\n`);
      const { eps, minPts, minArea, mode, perClass } = result.params;
      const written = options.out ? await writeRegionFiles(options.out, [maskFile], result.width, result.height, result.regions) : undefined;
      for (const warning of written?.warnings ?? []) process.stderr.write(`anomaly-lens: warning: ${warning}\n`);
      const files = written?.files;
      const regions = result.regions.map((region, index) => ({
        index,
        area: region.area,
        bbox: region.bbox,
        ...(region.classId !== undefined ? { classId: region.classId } : {}),
        ...(files ? { file: join(options.out ?? '', files[index]) } : {}),
      }));

      if (options.json) {
        const params = { mode, ...(mode === 'dbscan' ? { eps, minPts } : {}), minArea, perClass, ...(options.threshold !== undefined ? { threshold: options.threshold } : {}) };
        const out = { mask: maskFile, width: result.width, height: result.height, params, regions, noise: result.noise, dropped: result.dropped, distinctValues: result.distinctValues, warnings: result.warnings };
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return;
      }
      const how = mode === 'dbscan' ? `dbscan eps ${eps}, min-pts ${minPts}` : mode;
      const lines = [`${maskFile}: ${result.width}x${result.height}, ${regions.length} region(s) (${how}); noise ${result.noise} px; ${result.dropped} dropped below min-area ${minArea}`];
      if (regions.length > 0) {
        const header = ['region', 'area', 'x', 'y', 'w', 'h', ...(perClass ? ['class'] : []), ...(files ? ['file'] : [])];
        const rows = regions.map((r) => [String(r.index), String(r.area), ...r.bbox.map(String), ...(perClass ? [String(r.classId ?? '')] : []), ...(r.file ? [r.file] : [])]);
        lines.push(table([header, ...rows]));
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
