// @pure: label maps, pixel lists and edits' typed arrays as base64 text, the form in which they
// cross the child server's, the extension host's and the webview's boundaries: base64 of
// little-endian uint16 (labels) or uint32 (pixel indices). A whole label map, mostly zeros, goes
// as its runs when that is shorter ("runs:" and base64 of uint32 pairs: length, label). No
// Buffer, so the browser bundle decodes with the same code as Node.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** The value of each character code, 255 for a character that is not base64. */
const VALUES = new Uint8Array(128).fill(255);
for (let k = 0; k < ALPHABET.length; k++) VALUES[ALPHABET.charCodeAt(k)] = k;
const PAD = 61; // '='

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function bytesToBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = CODES[n >> 18];
    out[o++] = CODES[(n >> 12) & 63];
    out[o++] = CODES[(n >> 6) & 63];
    out[o++] = CODES[n & 63];
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
    out[o++] = CODES[n >> 18];
    out[o++] = CODES[(n >> 12) & 63];
    out[o++] = rest === 2 ? CODES[(n >> 6) & 63] : PAD;
    out[o++] = PAD;
  }
  return new TextDecoder().decode(out);
}

/** Decodes base64 (its '=' padding optional); throws on any other character. */
function base64ToBytes(text: string): Uint8Array {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === PAD) end--;
  if (text.length - end > 2 || end % 4 === 1) throw new RangeError('not base64 text');
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  const value = (k: number): number => {
    const c = text.charCodeAt(k);
    const v = c < 128 ? VALUES[c] : 255;
    if (v === 255) throw new RangeError(`not base64 text: ${JSON.stringify(text[k])} at ${k}`);
    return v;
  };
  let o = 0;
  let k = 0;
  for (; k + 3 < end; k += 4) {
    const n = (value(k) << 18) | (value(k + 1) << 12) | (value(k + 2) << 6) | value(k + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (end - k === 2) out[o] = (value(k) << 2) | (value(k + 1) >> 4);
  else if (end - k === 3) {
    const n = (value(k) << 12) | (value(k + 1) << 6) | value(k + 2);
    out[o++] = n >> 10;
    out[o] = (n >> 2) & 255;
  }
  return out;
}

/** The array's bytes, little-endian whatever the machine's order. */
function littleEndianBytes(values: Uint16Array | Uint32Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return LITTLE_ENDIAN ? bytes : swapped(bytes, values.BYTES_PER_ELEMENT);
}

function swapped(bytes: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) for (let b = 0; b < width; b++) out[i + b] = bytes[i + width - 1 - b];
  return out;
}

/** Little-endian bytes as the buffer of an array of `width`-byte values (a copy, aligned). */
function valuesOf(bytes: Uint8Array, width: 2 | 4): ArrayBuffer {
  const ordered = LITTLE_ENDIAN ? bytes : swapped(bytes, width);
  return ordered.buffer.slice(ordered.byteOffset, ordered.byteOffset + ordered.byteLength) as ArrayBuffer;
}

/** Labels (a label map, or the labels of an edit's pixels): one uint16 each, 0 = no region, else the region's id. */
export function encodeLabels(labels: Uint16Array): string {
  return bytesToBase64(littleEndianBytes(labels));
}

const RUNS = 'runs:';

/**
 * The label map's runs of equal labels as uint32 pairs (length, label), or undefined when they
 * would take more room than the labels themselves.  Zeros are passed over four at a time.
 */
function labelRuns(labels: Uint16Array): Uint32Array | undefined {
  const limit = labels.length >> 2; // pairs of 8 bytes against 2 bytes a label
  let runs = new Uint32Array(Math.min(2 * limit, 1024));
  let n = 0;
  const words = labels.byteOffset % 8 === 0 ? new Float64Array(labels.buffer, labels.byteOffset, labels.length >> 2) : undefined;
  let i = 0;
  while (i < labels.length) {
    const label = labels[i];
    let j = i + 1;
    if (label === 0 && words) {
      while (j < labels.length && j % 4 !== 0 && labels[j] === 0) j++;
      while (j + 4 <= labels.length && j % 4 === 0 && words[j >> 2] === 0 && labels[j + 3] === 0) j += 4;
    }
    while (j < labels.length && labels[j] === label) j++;
    if (n + 2 > runs.length) {
      if (n + 2 > 2 * limit) return undefined;
      const bigger = new Uint32Array(Math.min(2 * limit, runs.length * 2));
      bigger.set(runs);
      runs = bigger;
    }
    runs[n++] = j - i;
    runs[n++] = label;
    i = j;
  }
  return runs.subarray(0, n);
}

/** A whole label map: its runs when they are shorter than its labels, else its labels (as encodeLabels). */
export function encodeLabelMap(labels: Uint16Array): string {
  const runs = labelRuns(labels);
  return runs ? RUNS + bytesToBase64(littleEndianBytes(runs)) : encodeLabels(labels);
}

/** Any number of labels. */
export function decodeLabelList(text: string): Uint16Array {
  const bytes = base64ToBytes(text);
  if (bytes.length % 2 !== 0) throw new RangeError('not a list of 16-bit labels');
  return new Uint16Array(valuesOf(bytes, 2));
}

function labelsFromRuns(text: string, count: number): Uint16Array {
  const bytes = base64ToBytes(text);
  if (bytes.length % 8 !== 0) throw new RangeError('not a list of label runs');
  const runs = new Uint32Array(valuesOf(bytes, 4));
  const labels = new Uint16Array(count);
  let at = 0;
  for (let k = 0; k < runs.length; k += 2) {
    const [length, label] = [runs[k], runs[k + 1]];
    if (label > 0xffff) throw new RangeError(`label ${label} is not a 16-bit label`);
    if (at + length > count) throw new Error(`a label map of more than ${count} values`);
    if (label !== 0) labels.fill(label, at, at + length);
    at += length;
  }
  if (at !== count) throw new Error(`a label map of ${at} values for ${count} pixels`);
  return labels;
}

/** A label map of exactly `count` pixels, as encodeLabelMap or encodeLabels wrote it. */
export function decodeLabels(text: string, count: number): Uint16Array {
  if (text.startsWith(RUNS)) return labelsFromRuns(text.slice(RUNS.length), count);
  const labels = decodeLabelList(text);
  if (labels.length !== count) throw new Error(`a label map of ${labels.length} values for ${count} pixels`);
  return labels;
}

/** Pixel indices (y * width + x), as an edit carries them and the server's describeRegions takes them inline. */
export function encodePixels(pixels: Uint32Array): string {
  return bytesToBase64(littleEndianBytes(pixels));
}

export function decodePixels(text: string): Uint32Array {
  const bytes = base64ToBytes(text);
  if (bytes.length % 4 !== 0) throw new RangeError('not a list of 32-bit pixel indices');
  return new Uint32Array(valuesOf(bytes, 4));
}
