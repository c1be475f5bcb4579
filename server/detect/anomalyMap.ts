// @pure: an image's anomaly map from an object's memory banks: at each feature level, each patch
// scored by its distance to the nearest normal patch, the scores brought to the image's pixels;
// the levels' maps averaged, then smoothed.
import { extractPatches, type FeatureSettings, type FloatImage } from './features';
import { nearestDistances } from './nearest';
import { gaussianSmooth, patchScoresToMap } from './scoreMap';

export interface MemoryBank {
  rows: Float32Array;
  count: number;
  dim: number;
  /** The squared norm of each row (computed once when the bank is loaded). */
  norms: Float32Array;
}

/** The smoothed anomaly map of `image` (width × height floats). */
export function anomalyMap(image: FloatImage, features: FeatureSettings, banks: readonly MemoryBank[], sigma: number): Float32Array {
  const { width, height } = image;
  const sum = new Float32Array(width * height);
  features.levels.forEach((level, i) => {
    const grid = extractPatches(image, level, features.normalise);
    const bank = banks[i];
    if (grid.dim !== bank.dim) throw new RangeError(`level ${i + 1}: patches of ${grid.dim} values, but the bank holds rows of ${bank.dim}`);
    const scores = nearestDistances(grid.features, grid.count, bank.rows, bank.count, bank.dim, bank.norms);
    const map = patchScoresToMap(width, height, scores, grid.xs, grid.ys, grid.side);
    for (let p = 0; p < sum.length; p++) sum[p] += map[p];
  });
  const inv = 1 / features.levels.length;
  for (let p = 0; p < sum.length; p++) sum[p] *= inv;
  return gaussianSmooth(sum, width, height, sigma);
}
