// @pure: an anomaly map at the image's resolution from patch scores: each pixel takes the mean
// score of the patches that cover it, then the map is smoothed with a Gaussian (σ in pixels).

/** The per-pixel mean of the scores of the square patches (corner xs[i], ys[i], side) covering it. */
export function patchScoresToMap(width: number, height: number, scores: Float32Array, xs: Int32Array, ys: Int32Array, side: number): Float32Array {
  const sum = new Float32Array(width * height);
  const count = new Uint16Array(width * height);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    const x1 = Math.min(width, xs[i] + side);
    const y1 = Math.min(height, ys[i] + side);
    for (let y = ys[i]; y < y1; y++) {
      const row = y * width;
      for (let x = xs[i]; x < x1; x++) {
        sum[row + x] += s;
        count[row + x]++;
      }
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] = count[i] > 0 ? sum[i] / count[i] : 0;
  return sum;
}

/** The normalised Gaussian kernel of radius ⌈3σ⌉. */
export function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let total = 0;
  for (let i = -radius; i <= radius; i++) total += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < kernel.length; i++) kernel[i] /= total;
  return kernel;
}

/** The map blurred by a separable Gaussian, edges repeated. σ = 0 returns a copy. */
export function gaussianSmooth(map: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (sigma <= 0) return map.slice();
  const kernel = gaussianKernel(sigma);
  const r = (kernel.length - 1) / 2;
  const tmp = new Float32Array(map.length);
  const out = new Float32Array(map.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += kernel[k + r] * map[row + Math.min(width - 1, Math.max(0, x + k))];
      tmp[row + x] = s;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += kernel[k + r] * tmp[Math.min(height - 1, Math.max(0, y + k)) * width + x];
      out[y * width + x] = s;
    }
  }
  return out;
}

/** The largest value of the map (the image's score). */
export function mapMax(map: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < map.length; i++) if (map[i] > max) max = map[i];
  return max;
}
