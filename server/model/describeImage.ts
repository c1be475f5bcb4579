// Describing the designated regions of one image: the one function the command line, the child
// server and the split files' record hovers call.  Regions are designated by mask files, by
// splitting a mask into its regions (DBSCAN), or by pixel lists in memory (the mask editor);
// none means the whole image.
import { resolve } from 'node:path';
import { imageMetadata, readImageBytes } from '../image/source';
import { SPLIT_DEFAULTS } from '../masks/splitDefaults';
import { UserError } from '../util/errors';
import { isUncertain } from './confidence';
import type { DescribeImageResult, RegionSource } from './describeTypes';
import { maskRegions } from './maskRegions';
import type { Predictor, RegionDesignation } from './predictor';

export interface DescribeImageRequest {
  image: string;
  /** Mask files, one region each. */
  masks?: readonly string[];
  /** A mask split into its individual regions, each described. */
  regionOf?: { mask: string; eps?: number; minPts?: number };
  /** Regions as pixel indices (y * width + x) of the image. */
  pixels?: readonly Uint32Array[];
  /** Candidate descriptions (default: the bundle's own). */
  candidates?: readonly string[];
  topK?: number;
  /** Answers less probable than this are uncertain (default: the bundle's threshold). */
  uncertainBelow?: number;
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

async function targets(image: string, request: DescribeImageRequest, warn: (message: string) => void): Promise<Target[]> {
  const out: Target[] = (request.masks ?? []).map((m) => {
    const file = resolve(m);
    return { source: { kind: 'mask', file }, designation: file };
  });
  if (request.regionOf || request.pixels) {
    const size = await imageSize(image);
    if (request.regionOf) {
      const file = resolve(request.regionOf.mask);
      const split = await maskRegions(file, { eps: request.regionOf.eps ?? SPLIT_DEFAULTS.eps, minPts: request.regionOf.minPts ?? SPLIT_DEFAULTS.minPts });
      if (split.width !== size.width || split.height !== size.height) {
        throw new UserError(`the mask is ${split.width}x${split.height} but the image ${image} is ${size.width}x${size.height}`, file);
      }
      split.warnings.forEach(warn);
      if (split.regions.length === 0) warn(`${file}: the mask is empty, so it designates the whole image`);
      split.regions.forEach((r, index) =>
        out.push({
          source: {
            kind: 'region-of',
            file,
            index,
            of: split.regions.length,
            bbox: r.bbox,
            area: r.area,
            ...(r.classId !== undefined ? { classId: r.classId } : {}),
            ...(r.defect !== undefined ? { defect: r.defect } : {}),
            ...(split.classMap !== undefined ? { classMap: split.classMap } : {}),
          },
          designation: r.designation,
        }),
      );
      if (split.regions.length === 0) out.push({ source: { kind: 'whole-image', reason: `the mask ${file} is empty` }, designation: [] });
    }
    (request.pixels ?? []).forEach((pixels, index) => {
      const values = new Uint8Array(size.width * size.height);
      for (const i of pixels) {
        if (i >= values.length) throw new UserError(`region ${index + 1} names pixel ${i}, outside the ${size.width}x${size.height} image`, image);
        values[i] = 1;
      }
      out.push({ source: { kind: 'pixels', index, area: pixels.length }, designation: { width: size.width, height: size.height, values } });
    });
  }
  if (out.length === 0) out.push({ source: { kind: 'whole-image', reason: 'no region designated' }, designation: [] });
  return out;
}

/** Describes each designated region of `request.image` with an open predictor. */
export async function describeImage(predictor: Predictor, request: DescribeImageRequest, warn: (message: string) => void = () => undefined): Promise<DescribeImageResult> {
  return (await describeDesignatedRegions(predictor, request, warn)).result;
}

/** describeImage's answer, with each described region's designation (its mask file or pixels; none for the whole image), in the same order. */
export async function describeDesignatedRegions(
  predictor: Predictor,
  request: DescribeImageRequest,
  warn: (message: string) => void = () => undefined,
): Promise<{ result: DescribeImageResult; designations: RegionDesignation[] }> {
  const image = resolve(request.image);
  const warnings: string[] = [];
  const list = await targets(image, request, (message) => {
    warnings.push(message);
    warn(message);
  });
  const texts = request.candidates ?? predictor.descriptions;
  if (texts.length === 0) throw new UserError('the bundle has no descriptions of its own; give candidate descriptions', predictor.bundle.manifestFile);
  const results = await predictor.describeRegions(image, list.map((t) => t.designation), texts, request.topK ?? 5);
  const uncertainBelow = request.uncertainBelow ?? predictor.uncertainBelow;
  const result: DescribeImageResult = {
    image,
    bundle: predictor.bundle.dir,
    uncertainBelow,
    temperature: predictor.temperature,
    regions: results.map((r, i) => ({
      source: list[i].source,
      wholeImage: r.wholeImage,
      outsideCrop: r.outsideCrop,
      ranking: r.ranking.map((x) => ({ text: x.text, cosine: x.cosine, probability: x.probability })),
      uncertain: isUncertain(r.ranking, uncertainBelow),
    })),
    warnings,
  };
  return { result, designations: list.map((t) => t.designation) };
}
