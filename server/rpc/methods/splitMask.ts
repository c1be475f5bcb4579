import { resolve } from 'node:path';
import { readMask } from '../../image/mask';
import { defaultSplitOptions, splitMask } from '../../masks/split';
import type { SplitMode } from '../../masks/types';
import { Params, nonNegative, positive, positiveInteger } from '../params';
import { SplitMaskRequest, type SplitMaskParams, type SplitMaskResult } from '../protocol';

const MODES: readonly SplitMode[] = ['dbscan', 'cc4', 'cc8'];

export function checkSplitMaskParams(raw: unknown): SplitMaskParams {
  const p = Params.of(SplitMaskRequest.method, raw);
  return {
    mask: p.string('mask'),
    mode: p.optionalOneOf('mode', MODES),
    eps: p.optionalNumber('eps', positive, 'a positive number of pixels'),
    minPts: p.optionalNumber('minPts', positiveInteger, 'an integer of at least 1'),
    minArea: p.optionalNumber('minArea', nonNegative, 'a number of pixels >= 0'),
    threshold: p.optionalNumber('threshold', nonNegative, 'a number >= 0'),
    classIds: p.optionalBoolean('classIds'),
  };
}

export async function splitMaskFile(params: SplitMaskParams): Promise<SplitMaskResult> {
  const mask = resolve(params.mask);
  const classIds = params.classIds ?? false;
  const read = await readMask(mask, { threshold: params.threshold, classIds });
  const result = splitMask(read.mask, {
    mode: params.mode ?? defaultSplitOptions.mode,
    eps: params.eps ?? defaultSplitOptions.eps,
    minPts: params.minPts ?? defaultSplitOptions.minPts,
    minArea: params.minArea ?? defaultSplitOptions.minArea,
    perClass: classIds,
  });
  return {
    mask,
    width: result.width,
    height: result.height,
    regions: result.regions.map((region, index) => ({
      index,
      area: region.area,
      bbox: region.bbox,
      ...(region.classId !== undefined ? { classId: region.classId } : {}),
    })),
    noise: result.noise,
    dropped: result.dropped,
    distinctValues: read.distinctValues,
    warnings: read.warnings,
  };
}
