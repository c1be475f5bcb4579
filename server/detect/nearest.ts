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
  const queryNorms = rowNorms(queries, queryCount, dim);
  // Four queries at a time share each bank row's loads.
  const blocked = queryCount - (queryCount % 4);
  for (let q = 0; q < blocked; q += 4) {
    const r0 = q * dim;
    const r1 = r0 + dim;
    const r2 = r1 + dim;
    const r3 = r2 + dim;
    let best0 = Infinity;
    let best1 = Infinity;
    let best2 = Infinity;
    let best3 = Infinity;
    let i0 = 0;
    let i1 = 0;
    let i2 = 0;
    let i3 = 0;
    for (let b = 0; b < bankCount; b++) {
      const bRow = b * dim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let d = 0; d < dim; d++) {
        const v = bank[bRow + d];
        s0 += queries[r0 + d] * v;
        s1 += queries[r1 + d] * v;
        s2 += queries[r2 + d] * v;
        s3 += queries[r3 + d] * v;
      }
      const n = bankNorms[b];
      const d0 = n - 2 * s0;
      const d1 = n - 2 * s1;
      const d2 = n - 2 * s2;
      const d3 = n - 2 * s3;
      if (d0 < best0) (best0 = d0), (i0 = b);
      if (d1 < best1) (best1 = d1), (i1 = b);
      if (d2 < best2) (best2 = d2), (i2 = b);
      if (d3 < best3) (best3 = d3), (i3 = b);
    }
    out[q] = Math.sqrt(Math.max(0, best0 + queryNorms[q]));
    out[q + 1] = Math.sqrt(Math.max(0, best1 + queryNorms[q + 1]));
    out[q + 2] = Math.sqrt(Math.max(0, best2 + queryNorms[q + 2]));
    out[q + 3] = Math.sqrt(Math.max(0, best3 + queryNorms[q + 3]));
    indices[q] = i0;
    indices[q + 1] = i1;
    indices[q + 2] = i2;
    indices[q + 3] = i3;
  }
  for (let q = blocked; q < queryCount; q++) {
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
