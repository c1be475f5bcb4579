// @pure: AUPRO, the area under the per-region-overlap curve up to a false-positive rate (MVTec AD; anomalib).
//
// The ground-truth regions are the 8-connected components of every image's mask. At a threshold t
// (each distinct map value, highest first, as the ROC curve's), the false-positive rate is the
// share of normal pixels (mask zero, over all images) scoring at least t, and the PRO is the mean
// over all regions of all images of the share of the region's pixels scoring at least t. The curve
// starts at (0, 0); its trapezoid area from FPR 0 to the limit (the last segment cut at the limit
// by linear interpolation) is divided by the limit, so a perfect map scores 1.
//
// One pass: the normal pixels' scores sorted and the anomalous pixels sorted with their regions'
// weights 1/|region| (sortScores.ts: a radix sort for float32 maps), walked together from the
// highest score; the FPR and the PRO sum only grow, and the walk stops past the limit.
import { connectedComponents } from '../../masks/components';
import { checkScoredMask } from './pixelAuroc';
import { sortedScores, sortedScoresWithIndex } from './sortScores';
import type { ScoredMask } from './types';

/** The FPR limit of the MVTec AD paper and anomalib's default. */
export const AUPRO_FPR_LIMIT = 0.3;

/** Ground-truth regions: the 8-connected components of a mask's non-zero pixels (-1 elsewhere). */
export function maskComponents(mask: ArrayLike<number>, width: number, height: number): { labels: Int32Array; count: number } {
  const points = new Uint8Array(width * height);
  for (let i = 0; i < points.length; i++) points[i] = mask[i] ? 1 : 0;
  return connectedComponents(points, width, height, 8);
}

/** AUPRO up to `fprLimit` (0 < limit ≤ 1), normalised by it; null without a ground-truth region or a normal pixel. */
export function aupro(images: readonly ScoredMask[], fprLimit: number = AUPRO_FPR_LIMIT): number | null {
  if (!(fprLimit > 0 && fprLimit <= 1)) throw new RangeError(`AUPRO: the FPR limit must be in (0, 1], not ${fprLimit}`);
  let normalCount = 0;
  let anomalousCount = 0;
  let regionCount = 0;
  const components = images.map((image, k) => {
    checkScoredMask(image, `AUPRO, image ${k}`);
    const c = maskComponents(image.mask, image.width, image.height);
    regionCount += c.count;
    for (let i = 0; i < c.labels.length; i++) {
      if (c.labels[i] < 0) normalCount++;
      else anomalousCount++;
    }
    return c;
  });
  if (regionCount === 0 || normalCount === 0) return null;

  // Float32 maps stay float32: the same values, ties and all, in half the memory.
  const Values = images.every((image) => image.map instanceof Float32Array) ? Float32Array : Float64Array;
  const normal = new Values(normalCount);
  const anomalous = new Values(anomalousCount);
  const weight = new Float64Array(anomalousCount);
  let a = 0;
  let b = 0;
  images.forEach(({ map }, k) => {
    const { labels, count } = components[k];
    const sizes = new Float64Array(count);
    for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) sizes[labels[i]]++;
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] < 0) normal[a++] = map[i];
      else {
        anomalous[b] = map[i];
        weight[b++] = 1 / sizes[labels[i]];
      }
    }
  });
  const normalSorted = sortedScores(normal);
  const { sorted: anomalousSorted, index } = sortedScoresWithIndex(anomalous);

  let i = normalSorted.length - 1;
  let j = anomalousSorted.length - 1;
  let falsePositives = 0;
  let proSum = 0;
  let x0 = 0;
  let y0 = 0;
  let area = 0;
  while (i >= 0 || j >= 0) {
    const v = Math.max(i >= 0 ? normalSorted[i] : Number.NEGATIVE_INFINITY, j >= 0 ? anomalousSorted[j] : Number.NEGATIVE_INFINITY);
    while (i >= 0 && normalSorted[i] === v) {
      falsePositives++;
      i--;
    }
    while (j >= 0 && anomalousSorted[j] === v) proSum += weight[index[j--]];
    const x = falsePositives / normalCount;
    const y = Math.min(1, proSum / regionCount);
    if (x > fprLimit) {
      const yAtLimit = y0 + ((y - y0) * (fprLimit - x0)) / (x - x0);
      area += 0.5 * (y0 + yAtLimit) * (fprLimit - x0);
      return area / fprLimit;
    }
    area += 0.5 * (y0 + y) * (x - x0);
    x0 = x;
    y0 = y;
  }
  return area / fprLimit;
}
