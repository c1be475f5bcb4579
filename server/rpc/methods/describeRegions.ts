import { resolve } from 'node:path';
import { imageMetadata, readImageBytes } from '../../image/source';
import type { RegionDesignation } from '../../model';
import { defaultBundleDir } from '../../model/defaultBundle';
import { maskRegions } from '../../model/maskRegions';
import { UserError } from '../../util/errors';
import { Params, positive, positiveInteger } from '../params';
import type { PredictorCache } from '../predictors';
import { DescribeRegionsRequest, type DescribeRegionsParams, type DescribeRegionsResult, type RegionSource } from '../protocol';

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
    candidates: p.optionalStrings('candidates'),
    topK: p.optionalNumber('topK', positiveInteger, 'an integer of at least 1'),
  };
}

interface Target {
  source: RegionSource;
  designation: RegionDesignation;
}

async function imageSize(file: string): Promise<{ width: number; height: number }> {
  const { width, height } = await imageMetadata(file, await readImageBytes(file));
  if (!width || !height) throw new UserError('no image size in the header', file);
  return { width, height };
}

/** The regions to describe: each mask, each region of the split mask, or else the whole image. */
async function targets(image: string, params: DescribeRegionsParams, warnings: string[]): Promise<Target[]> {
  const out: Target[] = (params.masks ?? []).map((m) => {
    const file = resolve(m);
    return { source: { kind: 'mask', file }, designation: file };
  });
  if (params.regionOf) {
    const file = resolve(params.regionOf.mask);
    const options = { eps: params.regionOf.eps ?? 1.5, minPts: params.regionOf.minPts ?? 1 };
    const [size, split] = await Promise.all([imageSize(image), maskRegions(file, options)]);
    if (split.width !== size.width || split.height !== size.height) {
      throw new UserError(`the mask is ${split.width}x${split.height} but the image ${image} is ${size.width}x${size.height}`, file);
    }
    warnings.push(...split.warnings);
    split.regions.forEach((r, index) =>
      out.push({ source: { kind: 'region-of', file, index, of: split.regions.length, bbox: r.bbox, area: r.area }, designation: r.designation }),
    );
    if (split.regions.length === 0) out.push({ source: { kind: 'whole-image', reason: `the mask ${file} is empty` }, designation: [] });
  }
  if (out.length === 0) out.push({ source: { kind: 'whole-image', reason: 'no region designated' }, designation: [] });
  return out;
}

export async function describeRegions(params: DescribeRegionsParams, predictors: PredictorCache): Promise<DescribeRegionsResult> {
  const image = resolve(params.image);
  const warnings: string[] = [];
  const list = await targets(image, params, warnings);
  const predictor = await predictors.get(params.bundle ?? defaultBundleDir());
  const texts = params.candidates ?? predictor.descriptions;
  if (texts.length === 0) throw new UserError('the bundle has no descriptions of its own; give candidate descriptions', predictor.bundle.manifestFile);
  const results = await predictor.describeRegions(image, list.map((t) => t.designation), texts, params.topK ?? 5);
  return {
    image,
    bundle: predictor.bundle.dir,
    regions: results.map((result, i) => ({
      source: list[i].source,
      wholeImage: result.wholeImage,
      outsideCrop: result.outsideCrop,
      ranking: result.ranking.map((r) => ({ text: r.text, cosine: r.cosine, probability: r.probability })),
    })),
    warnings,
  };
}
