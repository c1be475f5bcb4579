// A mask file split into its individual regions (paper eq. 4), each one a designation.
import { readMask } from '../image/mask';
import { splitMask } from '../masks/split';
import type { MaskValues } from './preprocess';

export interface MaskRegion {
  designation: MaskValues;
  /** [x, y, width, height]. */
  bbox: [number, number, number, number];
  area: number;
}

export interface MaskRegions {
  width: number;
  height: number;
  regions: MaskRegion[];
  /** Findings of reading the mask (odd values) and of splitting it (noise pixels). */
  warnings: string[];
}

export async function maskRegions(file: string, options: { eps: number; minPts: number }): Promise<MaskRegions> {
  const { mask, warnings } = await readMask(file);
  const split = splitMask(mask, { mode: 'dbscan', eps: options.eps, minPts: options.minPts, minArea: 0, perClass: false });
  const regions = split.regions.map((region) => {
    const values = new Uint8Array(mask.width * mask.height);
    for (const p of region.pixels) values[p] = 1;
    return { designation: { width: mask.width, height: mask.height, values }, bbox: region.bbox, area: region.area };
  });
  const notes = warnings.map((w) => `${file}: ${w}`);
  if (split.noise > 0) notes.push(`${file}: ${split.noise} pixel(s) belong to no region (DBSCAN noise with min-pts ${options.minPts}) and are left out`);
  return { width: mask.width, height: mask.height, regions, warnings: notes };
}
