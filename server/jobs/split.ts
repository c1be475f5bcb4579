// Splitting one mask file into its regions: the one function the command line and the child
// server both call.
import { resolve } from 'node:path';
import { readMask } from '../image/mask';
import { splitMask } from '../masks/split';
import type { Region, SplitMaskParams, SplitMode } from '../masks/types';
import { SPLIT_DEFAULTS } from './options';

export interface SplitFileResult {
  mask: string;
  width: number;
  height: number;
  params: { mode: SplitMode; eps: number; minPts: number; minArea: number; perClass: boolean; threshold?: number };
  regions: Region[];
  noise: number;
  dropped: number;
  distinctValues: number[];
  warnings: string[];
}

export async function splitMaskFile(request: SplitMaskParams): Promise<SplitFileResult> {
  const mask = resolve(request.mask);
  const perClass = request.classIds ?? false;
  const read = await readMask(mask, { threshold: request.threshold, classIds: perClass });
  const params = {
    mode: request.mode ?? SPLIT_DEFAULTS.mode,
    eps: request.eps ?? SPLIT_DEFAULTS.eps,
    minPts: request.minPts ?? SPLIT_DEFAULTS.minPts,
    minArea: request.minArea ?? SPLIT_DEFAULTS.minArea,
    perClass,
    ...(request.threshold !== undefined ? { threshold: request.threshold } : {}),
  };
  const result = splitMask(read.mask, params);
  return { mask, width: result.width, height: result.height, params, regions: result.regions, noise: result.noise, dropped: result.dropped, distinctValues: read.distinctValues, warnings: read.warnings };
}
