// @pure: scores sorted ascending in O(n): float32 values as order-preserving 32-bit keys, radix-sorted.
//
// A float32's bits, with the sign bit flipped for positives and all bits flipped for negatives,
// order as the numbers do; -0 is keyed as +0 so that the two stay tied. Three passes of 11 bits
// (a pass skipped when every key has the same digit) sort millions of pixel scores several times
// faster than the typed-array sort. Float64 scores fall back to that sort.

/** The order-preserving key of each float32 value. */
export function float32Keys(values: Float32Array): Uint32Array {
  const keys = new Uint32Array(Float32Array.from(values).buffer);
  for (let i = 0; i < keys.length; i++) {
    const bits = keys[i] === 0x80000000 ? 0 : keys[i];
    keys[i] = bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
  }
  return keys;
}

const DIGIT_BITS = 11;
const DIGITS = 1 << DIGIT_BITS;

/** Sorts keys ascending (stable, LSD radix), permuting `payload` alongside; returns the sorted arrays (the inputs may be reused). */
export function radixSort(keys: Uint32Array, payload?: Uint32Array): { keys: Uint32Array; payload?: Uint32Array } {
  let k: Uint32Array = keys;
  let p: Uint32Array | undefined = payload;
  let kOut: Uint32Array = new Uint32Array(k.length);
  let pOut: Uint32Array | undefined = p ? new Uint32Array(p.length) : undefined;
  const counts = new Uint32Array(DIGITS);
  for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
    counts.fill(0);
    for (let i = 0; i < k.length; i++) counts[(k[i] >>> shift) & (DIGITS - 1)]++;
    if (k.length === 0 || counts[(k[0] >>> shift) & (DIGITS - 1)] === k.length) continue;
    let sum = 0;
    for (let d = 0; d < DIGITS; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < k.length; i++) {
      const at = counts[(k[i] >>> shift) & (DIGITS - 1)]++;
      kOut[at] = k[i];
      if (p && pOut) pOut[at] = p[i];
    }
    [k, kOut] = [kOut, k];
    if (p && pOut) [p, pOut] = [pOut, p];
  }
  return p ? { keys: k, payload: p } : { keys: k };
}

/**
 * Scores sorted ascending, as comparable numbers (keys for float32 scores, the values for
 * float64): equal scores give equal entries and order is kept, which is all AUROC and AUPRO need.
 */
export function sortedScores(values: Float32Array | Float64Array): ArrayLike<number> {
  return values instanceof Float32Array ? radixSort(float32Keys(values)).keys : Float64Array.from(values).sort();
}

/** Scores sorted ascending as sortedScores gives them, with the original index of each. */
export function sortedScoresWithIndex(values: Float32Array | Float64Array): { sorted: ArrayLike<number>; index: Uint32Array } {
  const index = new Uint32Array(values.length);
  for (let i = 0; i < index.length; i++) index[i] = i;
  if (values instanceof Float32Array) {
    const { keys, payload } = radixSort(float32Keys(values), index);
    return { sorted: keys, index: payload as Uint32Array };
  }
  index.sort((a, b) => values[a] - values[b]);
  return { sorted: Float64Array.from(index, (i) => values[i]), index };
}
