// @pure: exact nearest-neighbour distances by brute force: for each query row, the Euclidean
// distance to the nearest row of the bank, as ‖q‖² + ‖b‖² − 2 q·b with the bank's norms computed once.

/** The squared norm of each row. */
export function rowNorms(rows: Float32Array, count: number, dim: number): Float32Array {
  const out = new Float32Array(count);
  for (let n = 0; n < count; n++) {
    let s = 0;
    const row = n * dim;
    for (let d = 0; d < dim; d++) s += rows[row + d] * rows[row + d];
    out[n] = s;
  }
  return out;
}

/** For each of `queryCount` rows, the distance to its nearest of the bank's `bankCount` rows. */
export function nearestDistances(
  queries: Float32Array,
  queryCount: number,
  bank: Float32Array,
  bankCount: number,
  dim: number,
  bankNorms: Float32Array = rowNorms(bank, bankCount, dim),
): Float32Array {
  return nearestRows(queries, queryCount, bank, bankCount, dim, bankNorms).distances;
}

/** For each query row, the distance to its nearest bank row and that row's index (the lower index on a tie). */
export function nearestRows(
  queries: Float32Array,
  queryCount: number,
  bank: Float32Array,
  bankCount: number,
  dim: number,
  bankNorms: Float32Array = rowNorms(bank, bankCount, dim),
): { distances: Float32Array; indices: Int32Array } {
  const out = new Float32Array(queryCount);
  const indices = new Int32Array(queryCount);
  for (let q = 0; q < queryCount; q++) {
    const qRow = q * dim;
    let qNorm = 0;
    for (let d = 0; d < dim; d++) qNorm += queries[qRow + d] * queries[qRow + d];
    let best = Infinity;
    let bestIndex = 0;
    for (let b = 0; b < bankCount; b++) {
      const bRow = b * dim;
      let dot0 = 0;
      let dot1 = 0;
      let dot2 = 0;
      let dot3 = 0;
      let d = 0;
      for (; d + 3 < dim; d += 4) {
        dot0 += queries[qRow + d] * bank[bRow + d];
        dot1 += queries[qRow + d + 1] * bank[bRow + d + 1];
        dot2 += queries[qRow + d + 2] * bank[bRow + d + 2];
        dot3 += queries[qRow + d + 3] * bank[bRow + d + 3];
      }
      for (; d < dim; d++) dot0 += queries[qRow + d] * bank[bRow + d];
      const dist = bankNorms[b] - 2 * (dot0 + dot1 + dot2 + dot3);
      if (dist < best) {
        best = dist;
        bestIndex = b;
      }
    }
    out[q] = Math.sqrt(Math.max(0, best + qNorm));
    indices[q] = bestIndex;
  }
  return { distances: out, indices };
}
