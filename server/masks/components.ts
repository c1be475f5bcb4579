// Connected components of the foreground of a grid: one scan linking each pixel to its
// already-seen neighbours, then numbering in row-major order of each component's first pixel.
import { UnionFind, numberSets } from './unionFind';

export type Connectivity = 4 | 8;

export interface Components {
  /** Component of each grid cell, -1 for background. */
  labels: Int32Array;
  count: number;
}

export function connectedComponents(points: Uint8Array, width: number, height: number, connectivity: Connectivity): Components {
  const size = width * height;
  if (points.length !== size) throw new RangeError(`connectedComponents: ${points.length} cells for a ${width}x${height} grid`);
  const sets = new UnionFind(size);
  const diagonal = connectivity === 8;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!points[i]) continue;
      if (x > 0 && points[i - 1]) sets.union(i, i - 1);
      if (y === 0) continue;
      const up = i - width;
      if (points[up]) sets.union(i, up);
      if (diagonal) {
        if (x > 0 && points[up - 1]) sets.union(i, up - 1);
        if (x < width - 1 && points[up + 1]) sets.union(i, up + 1);
      }
    }
  }
  const labels = new Int32Array(size).fill(-1);
  const count = numberSets(sets, points, labels);
  return { labels, count };
}
