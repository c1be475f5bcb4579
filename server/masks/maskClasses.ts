// @pure: part of splitting a mask into regions (split.ts).
// The anomalous pixels of a mask, gathered in one pass: per class value (or all non-zero
// values together), the ascending list of pixel indices.

export interface MaskClass {
  /** The mask value, or undefined for "every non-zero value". */
  value: number | undefined;
  pixels: Int32Array;
}

function grown(list: Int32Array, limit: number): Int32Array {
  const bigger = new Int32Array(Math.min(limit, list.length * 2));
  bigger.set(list);
  return bigger;
}

/**
 * Indices of the non-zero values, ascending.  Zeros are skipped four at a time by reading
 * them as one float64: all-zero lanes read as +0, and -0 (sign bit only, i.e. 0x8000 in the
 * last lane) is told apart by that lane.
 */
function nonZeroIndices(values: Uint16Array): Int32Array {
  let out: Int32Array = new Int32Array(Math.min(values.length, 1 << 16));
  let n = 0;
  const quads = values.byteOffset % 8 === 0 ? new Float64Array(values.buffer, values.byteOffset, values.length >> 2) : new Float64Array(0);
  for (let k = 0; k < quads.length; k++) {
    if (quads[k] === 0 && values[4 * k + 3] === 0) continue;
    if (n + 4 > out.length) out = grown(out, values.length);
    for (let i = 4 * k; i < 4 * k + 4; i++) if (values[i] !== 0) out[n++] = i;
  }
  for (let i = quads.length * 4; i < values.length; i++) {
    if (values[i] === 0) continue;
    if (n === out.length) out = grown(out, values.length);
    out[n++] = i;
  }
  return out.subarray(0, n);
}

/**
 * The classes to split, in ascending value order: each distinct non-zero value, or one for
 * all.  `nonZero`, when given, is the ascending list of the indices of the non-zero values,
 * which a reader gathered already.
 */
export function maskClasses(values: Uint16Array, perClass: boolean, nonZero?: Int32Array): MaskClass[] {
  const all = nonZero ?? nonZeroIndices(values);
  if (all.length === 0) return [];
  if (!perClass) return [{ value: undefined, pixels: all }];
  const counts = new Int32Array(65536);
  for (let k = 0; k < all.length; k++) counts[values[all[k]]]++;
  const classes: MaskClass[] = [];
  const listOf: Int32Array[] = [];
  for (let v = 1; v < counts.length; v++) {
    if (counts[v] === 0) continue;
    if (counts[v] === all.length) return [{ value: v, pixels: all }];
    listOf[v] = new Int32Array(counts[v]);
    classes.push({ value: v, pixels: listOf[v] });
  }
  const filled = new Int32Array(65536);
  for (let k = 0; k < all.length; k++) {
    const v = values[all[k]];
    listOf[v][filled[v]++] = all[k];
  }
  return classes;
}
