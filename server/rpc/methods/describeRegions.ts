import { defaultBundleDir } from '../../model/defaultBundle';
import { describeImage } from '../../model/describeImage';
import { decodePixels } from '../../editor/labelsCodec';
import { UserError } from '../../util/errors';
import { Params, positive, positiveInteger } from '../params';
import type { PredictorCache } from '../predictors';
import { DescribeRegionsRequest, type DescribeRegionsParams, type DescribeRegionsResult } from '../protocol';

export function checkDescribeParams(raw: unknown): DescribeRegionsParams {
  const p = Params.of(DescribeRegionsRequest.method, raw);
  const regionOf = p.optionalObject('regionOf');
  return {
    image: p.string('image'),
    bundle: p.optionalString('bundle'),
    masks: p.optionalStrings('masks'),
    regionOf: regionOf && {
      mask: regionOf.string('mask'),
      eps: regionOf.optionalNumber('eps', positive, 'a positive number of pixels'),
      minPts: regionOf.optionalNumber('minPts', positiveInteger, 'an integer of at least 1'),
    },
    pixels: p.optionalStrings('pixels'),
    candidates: p.optionalStrings('candidates'),
    topK: p.optionalNumber('topK', positiveInteger, 'an integer of at least 1'),
  };
}

/** A region sent inline: base64 of little-endian uint32 pixel indices. */
function pixelList(text: string, index: number): Uint32Array {
  try {
    return decodePixels(text);
  } catch {
    throw new UserError(`pixels[${index}] is not a list of 32-bit pixel indices`);
  }
}

export async function describeRegions(params: DescribeRegionsParams, predictors: PredictorCache): Promise<DescribeRegionsResult> {
  const predictor = await predictors.get(params.bundle ?? defaultBundleDir());
  return describeImage(predictor, {
    image: params.image,
    ...(params.masks ? { masks: params.masks } : {}),
    ...(params.regionOf ? { regionOf: params.regionOf } : {}),
    ...(params.pixels ? { pixels: params.pixels.map(pixelList) } : {}),
    ...(params.candidates ? { candidates: params.candidates } : {}),
    ...(params.topK !== undefined ? { topK: params.topK } : {}),
  });
}
