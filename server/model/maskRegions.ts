// A mask file split into its individual regions (paper eq. 4), each one a designation. A mask
// with a class map near it (maskClassMap.ts) holds class ids: it is split class by class and
// each region is named by its class.
import { maskClassMap } from '../dataset/readers/maskClassMap';
import { readMask } from '../image/mask';
import { splitMask } from '../masks/split';
import type { MaskValues } from './preprocess';

export interface MaskRegion {
  designation: MaskValues;
  /** [x, y, width, height]. */
  bbox: [number, number, number, number];
  area: number;
  /** For a class-id mask: the region's mask value and the defect its class map names (absent for a value it does not name). */
  classId?: number;
  defect?: string;
}

export interface MaskRegions {
  width: number;
  height: number;
  regions: MaskRegion[];
  /** The class map the mask's values were read with, when one lies near it. */
  classMap?: string;
  /** Findings of reading the mask (odd values) and of splitting it (noise pixels), each naming the file once. */
  warnings: string[];
}

export async function maskRegions(file: string, options: { eps: number; minPts: number }): Promise<MaskRegions> {
  const notes: string[] = [];
  const map = await maskClassMap(file, (message) => notes.push(message));
  const { mask, warnings } = await readMask(file, { classIds: map !== undefined });
  notes.push(...warnings);
  const split = splitMask(mask, { mode: 'dbscan', eps: options.eps, minPts: options.minPts, minArea: 0, perClass: map !== undefined });
  const unnamed = new Set<number>();
  const regions = split.regions.map((region) => {
    const values = new Uint8Array(mask.width * mask.height);
    for (const p of region.pixels) values[p] = 1;
    const out: MaskRegion = { designation: { width: mask.width, height: mask.height, values }, bbox: region.bbox, area: region.area };
    if (map && region.classId !== undefined) {
      out.classId = region.classId;
      const defect = map.classNames[region.classId];
      if (defect !== undefined) out.defect = defect;
      else unnamed.add(region.classId);
    }
    return out;
  });
  if (map && unnamed.size > 0) {
    notes.push(`${file}: mask value(s) ${[...unnamed].sort((a, b) => a - b).join(', ')} name no class in ${map.file} (it names ${Object.entries(map.classNames).map(([v, n]) => `${v}=${n}`).join(', ')})`);
  }
  if (split.noise > 0) notes.push(`${file}: ${split.noise} pixel(s) belong to no region (DBSCAN noise with min-pts ${options.minPts}) and are left out`);
  return { width: mask.width, height: mask.height, regions, ...(map ? { classMap: map.file } : {}), warnings: notes };
}
