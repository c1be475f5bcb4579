// anomalyLens/describeRegions: the designated regions of an image described with a bundle, and when
// asked a picture of the image with those regions outlined and numbered as the answer lists them.
import { defaultBundleDir } from '../../model/defaultBundle';
import { describeDesignatedRegions } from '../../model/describeImage';
import type { RegionDesignation } from '../../model/predictor';
import { renderThumbnail, thumbnailDataUrl, type ThumbnailRegion } from '../../datasetText/thumbnail';
import { decodePixels } from '../../editor/labelsCodec';
import { UserError } from '../../util/errors';
import { Params, positive, positiveInteger } from '../params';
import type { PredictorCache } from '../predictors';
import { DescribeRegionsRequest, type DescribeRegionsParams, type DescribeRegionsResult, type RegionsPicture } from '../protocol';

/** The picture's longest side unless asked otherwise, and the most it may be. */
const PICTURE_SIZE = 512;
const MAX_PICTURE_SIZE = 2048;

export function checkDescribeParams(raw: unknown): DescribeRegionsParams {
  const p = Params.of(DescribeRegionsRequest.method, raw);
  const regionOf = p.optionalObject('regionOf');
  const picture = p.optionalObject('picture');
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
    ...(picture ? { picture: { maxSize: picture.optionalNumber('maxSize', (n) => positiveInteger(n) && n <= MAX_PICTURE_SIZE, `an integer from 1 to ${MAX_PICTURE_SIZE}`) } } : {}),
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

/** The image with each designated region outlined and numbered by its place in the answer (the whole image is no region). */
async function regionsPicture(image: string, designations: readonly RegionDesignation[], maxSize: number): Promise<RegionsPicture> {
  const regions: ThumbnailRegion[] = [];
  designations.forEach((d, i) => {
    if (!Array.isArray(d)) regions.push({ mask: d as ThumbnailRegion['mask'], id: i + 1 });
  });
  const picture = await renderThumbnail(image, regions, { maxSize });
  return { dataUrl: thumbnailDataUrl(picture), width: picture.width, height: picture.height };
}

export async function describeRegions(params: DescribeRegionsParams, predictors: PredictorCache): Promise<DescribeRegionsResult> {
  const predictor = await predictors.get(params.bundle ?? defaultBundleDir());
  const { result, designations } = await describeDesignatedRegions(predictor, {
    image: params.image,
    ...(params.masks ? { masks: params.masks } : {}),
    ...(params.regionOf ? { regionOf: params.regionOf } : {}),
    ...(params.pixels ? { pixels: params.pixels.map(pixelList) } : {}),
    ...(params.candidates ? { candidates: params.candidates } : {}),
    ...(params.topK !== undefined ? { topK: params.topK } : {}),
  });
  if (!params.picture) return result;
  return { ...result, picture: await regionsPicture(result.image, designations, params.picture.maxSize ?? PICTURE_SIZE) };
}
