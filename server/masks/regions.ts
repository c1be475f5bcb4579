// @pure: part of splitting a mask into regions (split.ts).
// Regions from labelled pixel lists: pixel indices, areas and boxes per label.
import type { PixelRows } from './pixelRows';
import type { Region } from './types';

/**
 * One region per label 0..count-1 of `labels` (one label per pixel of the shape's list,
 * -1 = none); the list is ascending, so each region's pixels come out ascending.
 */
export function regionsFromLabels(shape: PixelRows, labels: Int32Array, count: number, classId?: number): Region[] {
  const { pixels, xs, rowStart, rows, top } = shape;
  const area = new Int32Array(count);
  const minX = new Int32Array(count).fill(0x7fffffff);
  const maxX = new Int32Array(count).fill(-1);
  const minY = new Int32Array(count).fill(-1);
  const maxY = new Int32Array(count);
  for (let row = 0; row < rows; row++) {
    const y = top + row;
    for (let k = rowStart[row]; k < rowStart[row + 1]; k++) {
      const label = labels[k];
      if (label < 0) continue;
      const x = xs[k];
      area[label]++;
      if (x < minX[label]) minX[label] = x;
      if (x > maxX[label]) maxX[label] = x;
      if (minY[label] < 0) minY[label] = y;
      maxY[label] = y;
    }
  }
  const lists = Array.from(area, (a) => new Uint32Array(a));
  const filled = new Int32Array(count);
  for (let k = 0; k < pixels.length; k++) {
    const label = labels[k];
    if (label >= 0) lists[label][filled[label]++] = pixels[k];
  }
  return lists.map((list, r) => ({
    pixels: list,
    area: area[r],
    bbox: [minX[r], minY[r], maxX[r] - minX[r] + 1, maxY[r] - minY[r] + 1] as [number, number, number, number],
    ...(classId !== undefined ? { classId } : {}),
  }));
}
