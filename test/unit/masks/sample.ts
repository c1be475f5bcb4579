// The shared MVTec-style sample beside the repository and its STATS.md (connected components
// of every ground-truth mask, computed with scipy).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const SAMPLE = join(REPO_ROOT, '..', 'shared', 'data', 'mvtec-sample');

export interface SampleMaskStats {
  image: string;
  mask: string;
  width: number;
  height: number;
  values: number[];
  components: number;
  anomalyPixels: number;
  /** Component sizes, largest first. */
  sizes: number[];
}

/** The per-image table of STATS.md. */
export function readSampleStats(): SampleMaskStats[] {
  const rows: SampleMaskStats[] = [];
  for (const line of readFileSync(join(SAMPLE, 'STATS.md'), 'utf8').split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim().replace(/`/g, ''));
    const [image, mask, size, , , values, components, anomalyPixels, sizes] = cells;
    const [width, height] = size.split('x').map(Number);
    rows.push({
      image,
      mask,
      width,
      height,
      values: values.split(',').map(Number),
      components: Number(components),
      anomalyPixels: Number(anomalyPixels),
      sizes: sizes.split(',').map(Number),
    });
  }
  return rows;
}
