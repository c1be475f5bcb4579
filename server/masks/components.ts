// @pure: part of splitting a mask into regions (split.ts).
// Connected components of the foreground of a grid: one scan linking each pixel to its
// already-seen neighbours, then numbering in row-major order of each component's first pixel.
import type { PixelRows } from './pixelRows';
import { UnionFind } from './unionFind';

export type Connectivity = 4 | 8;

export interface Components {
  /** Component of each grid cell, -1 for background. */
  labels: Int32Array;
  count: number;
}

/**
 * Numbers the sets that hold the marked elements 0, 1, … in the order of each set's first
 * marked element (row-major pixel order), writing each marked element's number into `labels`.
 */
function numberSets(sets: UnionFind, marked: Uint8Array, labels: Int32Array): number {
  const idOfRoot = new Int32Array(marked.length).fill(-1);
  let count = 0;
  for (let i = 0; i < marked.length; i++) {
    if (!marked[i]) continue;
    const root = sets.find(i);
    let id = idOfRoot[root];
    if (id < 0) id = idOfRoot[root] = count++;
    labels[i] = id;
  }
  return count;
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

/** Connected components of a shape's pixels (labelled on their bounding box), one label per pixel. */
export function pixelComponents(shape: PixelRows, connectivity: Connectivity): Components {
  const width = shape.right - shape.left + 1;
  const cells = new Uint8Array(width * shape.rows);
  const cellOf = new Int32Array(shape.pixels.length);
  for (let row = 0; row < shape.rows; row++) {
    for (let k = shape.rowStart[row]; k < shape.rowStart[row + 1]; k++) {
      cellOf[k] = row * width + shape.xs[k] - shape.left;
      cells[cellOf[k]] = 1;
    }
  }
  const grid = connectedComponents(cells, width, shape.rows, connectivity);
  const labels = new Int32Array(shape.pixels.length);
  for (let k = 0; k < labels.length; k++) labels[k] = grid.labels[cellOf[k]];
  return { labels, count: grid.count };
}
