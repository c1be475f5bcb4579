import { splitMaskFile } from '../../jobs/split';
import { SPLIT_MODES } from '../../masks/splitDefaults';
import { Params, nonNegative, positive, positiveInteger } from '../params';
import { SplitMaskRequest, type SplitMaskParams, type SplitMaskResult } from '../protocol';

export function checkSplitMaskParams(raw: unknown): SplitMaskParams {
  const p = Params.of(SplitMaskRequest.method, raw);
  return {
    mask: p.string('mask'),
    mode: p.optionalOneOf('mode', SPLIT_MODES),
    eps: p.optionalNumber('eps', positive, 'a positive number of pixels'),
    minPts: p.optionalNumber('minPts', positiveInteger, 'an integer of at least 1'),
    minArea: p.optionalNumber('minArea', nonNegative, 'a number of pixels >= 0'),
    threshold: p.optionalNumber('threshold', nonNegative, 'a number >= 0'),
    classIds: p.optionalBoolean('classIds'),
  };
}

export async function splitMaskRequest(params: SplitMaskParams): Promise<SplitMaskResult> {
  const result = await splitMaskFile(params);
  return {
    mask: result.mask,
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
    distinctValues: result.distinctValues,
    warnings: result.warnings,
  };
}
