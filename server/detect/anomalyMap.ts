// @pure: an image's anomaly map from an object's memory banks: at each feature level, each patch
// scored by its distance to the nearest normal patch, the scores brought to the image's pixels;
// the levels' maps averaged, then smoothed.
import { extractPatches, type FeatureSettings, type FloatImage, type PatchGrid } from './features';
import { nearestRows } from './nearest';
import { gaussianSmooth, patchScoresToMap } from './scoreMap';

export interface MemoryBank {
  rows: Float32Array;
  count: number;
  dim: number;
  /** The squared norm of each row (computed once when the bank is loaded). */
  norms: Float32Array;
}

/**
 * How a pixel is scored: 'patch-distance', the mean distance of the patches over it to their
 * nearest normal patch; 'pixel-residual', how far the pixel is from the image rebuilt from those
 * nearest normal patches (pixel-level, so a region's edge is where the pixels differ, not where
 * a patch touching it begins).  A level that shrinks the image is scored by patch distance.
 */
export type PixelScore = 'patch-distance' | 'pixel-residual';

/**
 * The image rebuilt from each patch's nearest bank row (raw pixels), averaged where patches
 * overlap, and each pixel's Euclidean distance from it over the channels.
 */
export function residualMap(image: FloatImage, grid: PatchGrid, bank: MemoryBank, nearest: Int32Array): Float32Array {
  const { width, height, channels: c } = image;
  const side = grid.side;
  const sum = new Float32Array(width * height * c);
  const count = new Uint16Array(width * height);
  for (let i = 0; i < grid.count; i++) {
    const row = nearest[i] * bank.dim;
    let o = row;
    for (let dy = 0; dy < side; dy++) {
      const p0 = (grid.ys[i] + dy) * width + grid.xs[i];
      for (let dx = 0; dx < side; dx++) {
        count[p0 + dx]++;
        for (let k = 0; k < c; k++) sum[(p0 + dx) * c + k] += bank.rows[o++];
      }
    }
  }
  const out = new Float32Array(width * height);
  for (let p = 0; p < out.length; p++) {
    if (count[p] === 0) continue;
    let s = 0;
    for (let k = 0; k < c; k++) {
      const diff = image.data[p * c + k] - sum[p * c + k] / count[p];
      s += diff * diff;
    }
    out[p] = Math.sqrt(s);
  }
  return out;
}

/** The smoothed anomaly map of `image` (width × height floats). */
export function anomalyMap(image: FloatImage, features: FeatureSettings, banks: readonly MemoryBank[], sigma: number, score: PixelScore = 'patch-distance'): Float32Array {
  const { width, height } = image;
  const sum = new Float32Array(width * height);
  features.levels.forEach((level, i) => {
    const grid = extractPatches(image, level, features.normalise);
    const bank = banks[i];
    if (grid.dim !== bank.dim) throw new RangeError(`level ${i + 1}: patches of ${grid.dim} values, but the bank holds rows of ${bank.dim}`);
    const nearest = nearestRows(grid.features, grid.count, bank.rows, bank.count, bank.dim, bank.norms);
    const residual = score === 'pixel-residual' && level.downsample === 1 && features.normalise === 'none';
    const map = residual ? residualMap(image, grid, bank, nearest.indices) : patchScoresToMap(width, height, nearest.distances, grid.xs, grid.ys, grid.side);
    for (let p = 0; p < sum.length; p++) sum[p] += map[p];
  });
  const inv = 1 / features.levels.length;
  for (let p = 0; p < sum.length; p++) sum[p] *= inv;
  return gaussianSmooth(sum, width, height, sigma);
}
