// @pure: greedy coreset subsampling (k-center greedy, as PatchCore): the patches kept are those
// farthest from everything kept so far, so the bank covers the normal patches with few rows.
// Distances for the choice are taken on a seeded random projection, for speed; the rows kept
// are the full features.

/** A small seeded generator (mulberry32): the same seed picks the same coreset. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows of `features` (count × dim) multiplied by a seeded Gaussian matrix (dim × out), scaled by 1/√out. */
export function randomProjection(features: Float32Array, count: number, dim: number, out: number, seed: number): Float32Array {
  if (out >= dim) return features;
  const random = seededRandom(seed);
  const matrix = new Float32Array(dim * out);
  for (let i = 0; i < matrix.length; i += 2) {
    // Box–Muller: two normal deviates from two uniforms.
    const u = Math.max(random(), 1e-12);
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u)) / Math.sqrt(out);
    matrix[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < matrix.length) matrix[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  const projected = new Float32Array(count * out);
  for (let n = 0; n < count; n++) {
    const row = n * dim;
    const target = n * out;
    for (let d = 0; d < dim; d++) {
      const value = features[row + d];
      if (value === 0) continue;
      const m = d * out;
      for (let j = 0; j < out; j++) projected[target + j] += value * matrix[m + j];
    }
  }
  return projected;
}

/**
 * The indices of `k` rows chosen by k-center greedy, in the order chosen: the first drawn with
 * the seed, each next the row farthest from all chosen.  Ties go to the lower index.
 */
export function kCenterGreedy(features: Float32Array, count: number, dim: number, k: number, seed: number): Int32Array {
  const take = Math.min(k, count);
  const chosen = new Int32Array(take);
  if (take === 0) return chosen;
  const nearest = new Float32Array(count).fill(Infinity);
  let next = Math.floor(seededRandom(seed)() * count);
  for (let c = 0; c < take; c++) {
    chosen[c] = next;
    const centre = next * dim;
    let farthest = -1;
    let far = -1;
    for (let n = 0; n < count; n++) {
      const row = n * dim;
      let d = 0;
      for (let j = 0; j < dim; j++) {
        const diff = features[row + j] - features[centre + j];
        d += diff * diff;
      }
      if (d < nearest[n]) nearest[n] = d;
      if (nearest[n] > far) {
        far = nearest[n];
        farthest = n;
      }
    }
    next = farthest;
  }
  return chosen;
}

/** The rows of `features` at `indices`, copied into one array. */
export function pickRows(features: Float32Array, dim: number, indices: Int32Array): Float32Array {
  const out = new Float32Array(indices.length * dim);
  for (let i = 0; i < indices.length; i++) out.set(features.subarray(indices[i] * dim, (indices[i] + 1) * dim), i * dim);
  return out;
}
