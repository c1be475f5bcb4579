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

/** Indices of the non-zero values, ascending; zeros are skipped two at a time. */
function nonZeroIndices(values: Uint16Array): Int32Array {
  let out: Int32Array = new Int32Array(Math.min(values.length, 1 << 16));
  let n = 0;
  const pairs = values.byteOffset % 4 === 0 ? new Uint32Array(values.buffer, values.byteOffset, values.length >> 1) : new Uint32Array(0);
  for (let k = 0; k < pairs.length; k++) {
    if (pairs[k] === 0) continue;
    if (n + 2 > out.length) out = grown(out, values.length);
    if (values[2 * k] !== 0) out[n++] = 2 * k;
    if (values[2 * k + 1] !== 0) out[n++] = 2 * k + 1;
  }
  for (let i = pairs.length * 2; i < values.length; i++) {
    if (values[i] === 0) continue;
    if (n === out.length) out = grown(out, values.length);
    out[n++] = i;
  }
  return out.subarray(0, n);
}

/** The classes to split, in ascending value order: each distinct non-zero value, or one for all. */
export function maskClasses(values: Uint16Array, perClass: boolean): MaskClass[] {
  const all = nonZeroIndices(values);
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
