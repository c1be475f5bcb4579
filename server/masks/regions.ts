// Regions from a labelled crop of a mask: pixel lists in whole-image indices, areas, boxes.
import type { Region } from './types';

/** A rectangle of the mask, [x0, x0+width) × [y0, y0+height). */
export interface Crop {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/**
 * One region per label 0..count-1 of `labels` (a crop's cells, -1 = none); `maskWidth` maps
 * crop cells back to pixel indices of the whole mask.
 */
export function regionsFromLabels(labels: Int32Array, count: number, crop: Crop, maskWidth: number, classId?: number): Region[] {
  const area = new Int32Array(count);
  const minX = new Int32Array(count).fill(crop.width);
  const maxX = new Int32Array(count).fill(-1);
  const minY = new Int32Array(count).fill(crop.height);
  const maxY = new Int32Array(count).fill(-1);
  for (let y = 0; y < crop.height; y++) {
    for (let x = 0; x < crop.width; x++) {
      const label = labels[y * crop.width + x];
      if (label < 0) continue;
      area[label]++;
      if (x < minX[label]) minX[label] = x;
      if (x > maxX[label]) maxX[label] = x;
      if (y < minY[label]) minY[label] = y;
      maxY[label] = y;
    }
  }
  const pixels = Array.from(area, (n) => new Uint32Array(n));
  const filled = new Int32Array(count);
  for (let y = 0; y < crop.height; y++) {
    const rowStart = (crop.y0 + y) * maskWidth + crop.x0;
    for (let x = 0; x < crop.width; x++) {
      const label = labels[y * crop.width + x];
      if (label >= 0) pixels[label][filled[label]++] = rowStart + x;
    }
  }
  return pixels.map((list, k) => ({
    pixels: list,
    area: area[k],
    bbox: [crop.x0 + minX[k], crop.y0 + minY[k], maxX[k] - minX[k] + 1, maxY[k] - minY[k] + 1] as [number, number, number, number],
    ...(classId !== undefined ? { classId } : {}),
  }));
}
