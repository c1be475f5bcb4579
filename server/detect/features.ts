// @pure: the detector's patch features: overlapping raw-pixel patches of an image, at one or more
// scales, each patch optionally normalised on its own.  Raw pixels at a fine stride localise small
// defects that a model's coarse patch grid cannot.

/** An image's samples as floats in [0, 1], interleaved, row-major. */
export interface FloatImage {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

/** One scale of features: square patches of `patch` pixels every `stride` pixels of the image shrunk by `downsample`. */
export interface FeatureLevel {
  patch: number;
  stride: number;
  /** 1 = the image as it is; 2 = each 2×2 block averaged first. */
  downsample: number;
}

/** 'none': the pixels as they are; 'mean': each channel's mean over the patch taken away (brightness shifts ignored). */
export type PatchNormalisation = 'none' | 'mean';

export interface FeatureSettings {
  kind: 'raw-pixel-patches';
  levels: FeatureLevel[];
  normalise: PatchNormalisation;
}

export const DEFAULT_FEATURES: FeatureSettings = {
  kind: 'raw-pixel-patches',
  levels: [{ patch: 8, stride: 4, downsample: 1 }],
  normalise: 'none',
};

export interface PatchGrid {
  /** Rows of `dim` floats, one per patch. */
  features: Float32Array;
  count: number;
  dim: number;
  /** Each patch's left and top corner and side, in the full image's pixels. */
  xs: Int32Array;
  ys: Int32Array;
  side: number;
}

/** The image with each `factor`×`factor` block averaged (the last partial row and column dropped). */
export function downsampleImage(image: FloatImage, factor: number): FloatImage {
  if (factor === 1) return image;
  const { channels: c } = image;
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const data = new Float32Array(width * height * c);
  const inv = 1 / (factor * factor);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < c; k++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = ((y * factor + dy) * image.width + x * factor) * c + k;
          for (let dx = 0; dx < factor; dx++) sum += image.data[row + dx * c];
        }
        data[(y * width + x) * c + k] = sum * inv;
      }
    }
  }
  return { width, height, channels: c, data };
}

/** Patch corners along one side: every `stride`, and the last one flush with the edge. */
export function patchStarts(length: number, patch: number, stride: number): number[] {
  if (length < patch) throw new RangeError(`a side of ${length} px is smaller than the ${patch} px patch`);
  const out: number[] = [];
  for (let s = 0; s + patch <= length; s += stride) out.push(s);
  if (out[out.length - 1] !== length - patch) out.push(length - patch);
  return out;
}

/** The patches of one level, as rows of floats. */
export function extractPatches(image: FloatImage, level: FeatureLevel, normalise: PatchNormalisation): PatchGrid {
  const small = downsampleImage(image, level.downsample);
  const { patch, stride } = level;
  const c = small.channels;
  const xStarts = patchStarts(small.width, patch, stride);
  const yStarts = patchStarts(small.height, patch, stride);
  const dim = patch * patch * c;
  const count = xStarts.length * yStarts.length;
  const features = new Float32Array(count * dim);
  const xs = new Int32Array(count);
  const ys = new Int32Array(count);
  const means = new Float64Array(c);
  let n = 0;
  for (const y0 of yStarts) {
    for (const x0 of xStarts) {
      const base = n * dim;
      let o = base;
      for (let dy = 0; dy < patch; dy++) {
        const row = ((y0 + dy) * small.width + x0) * c;
        for (let i = 0; i < patch * c; i++) features[o++] = small.data[row + i];
      }
      if (normalise === 'mean') {
        means.fill(0);
        for (let i = 0; i < dim; i++) means[i % c] += features[base + i];
        for (let k = 0; k < c; k++) means[k] /= patch * patch;
        for (let i = 0; i < dim; i++) features[base + i] -= means[i % c];
      }
      xs[n] = x0 * level.downsample;
      ys[n] = y0 * level.downsample;
      n++;
    }
  }
  return { features, count, dim, xs, ys, side: patch * level.downsample };
}
