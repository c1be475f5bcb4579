// density-clustering's DBSCAN as the reference for region splitting, and partitions in a
// form that compares equal regardless of how clusters are numbered.
import { DBSCAN } from 'density-clustering';
import type { LabelMask, SplitResult } from '../../../server/masks/types';

export interface Partition {
  /** Each region as its ascending pixel indices joined by commas, sorted. */
  regions: string[];
  /** Foreground pixels in no region, ascending. */
  noise: number[];
}

function foreground(mask: LabelMask): number[] {
  const out: number[] = [];
  for (let i = 0; i < mask.values.length; i++) if (mask.values[i] !== 0) out.push(i);
  return out;
}

function partition(all: number[], regions: number[][]): Partition {
  const inRegion = new Set(regions.flat());
  return {
    regions: regions.map((r) => [...r].sort((a, b) => a - b).join(',')).sort(),
    noise: all.filter((i) => !inRegion.has(i)),
  };
}

/**
 * The library's clusters over the mask's foreground pixels as [x, y] points listed in
 * row-major order, one run per class value when perClass is set.
 */
export function libraryPartition(mask: LabelMask, eps: number, minPts: number, perClass = false): Partition {
  const all = foreground(mask);
  const classes = perClass ? [...new Set(all.map((i) => mask.values[i]))] : [undefined];
  const regions: number[][] = [];
  for (const value of classes) {
    const pixels = all.filter((i) => value === undefined || mask.values[i] === value);
    const points = pixels.map((i) => [i % mask.width, Math.floor(i / mask.width)]);
    for (const cluster of new DBSCAN().run(points, eps, minPts)) regions.push(cluster.map((k) => pixels[k]));
  }
  return partition(all, regions);
}

export function resultPartition(mask: LabelMask, result: SplitResult): Partition {
  return partition(foreground(mask), result.regions.map((r) => Array.from(r.pixels)));
}

/** Builds a mask from rows of text: '.' is background, a digit is that value, '#' is 1. */
export function maskFromText(text: string): LabelMask {
  const rows = text.trim().split('\n').map((row) => row.trim());
  const width = rows[0].length;
  const values = new Uint16Array(width * rows.length);
  rows.forEach((row, y) => {
    if (row.length !== width) throw new Error('ragged mask text');
    for (let x = 0; x < width; x++) values[y * width + x] = row[x] === '.' ? 0 : row[x] === '#' ? 1 : Number(row[x]);
  });
  return { width, height: rows.length, values };
}
