// The samples of a plain 8-bit greyscale PNG (non-interlaced, no transparency chunk), decoded
// in this thread: zlib inflates the image data and the row filters are undone here.  Masks are
// mostly stored this way; this costs a small part of a general decoder's work on them.
// Anything else, and any file this does not find whole and exact, gives undefined: the
// general decoder then reads it and reports what is wrong as it always has.
import { inflateSync } from 'node:zlib';
import { checkPngStructure, type PngHeader } from './pngCheck';

/** The header of a PNG this module decodes; undefined when the file is not one (or not whole). */
export function plainGreyPngHeader(bytes: Uint8Array): PngHeader | undefined {
  let header: PngHeader;
  try {
    header = checkPngStructure(bytes);
  } catch {
    return undefined;
  }
  if (header.colourType !== 0 || header.bitDepth !== 8 || header.interlaced) return undefined;
  return header;
}

/** The IDAT chunks' data, or undefined when a tRNS chunk makes a value transparent. */
function imageData(bytes: Uint8Array): Uint8Array[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  // The structure was checked: every chunk is whole and IEND ends the walk.
  for (let at = 8; ; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    if (type === 'IEND') return parts;
    if (type === 'tRNS') return undefined;
    if (type === 'IDAT') parts.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
}

/**
 * Undoes the row filters of `rows` (one filter-type byte before each row) in place, each
 * filter byte then set to 0; false on an unknown filter type.
 */
function unfilter(rows: Uint8Array, width: number, height: number): boolean {
  const stride = width + 1;
  for (let y = 0; y < height; y++) {
    const at = y * stride + 1;
    const up = at - stride;
    const filter = rows[at - 1];
    rows[at - 1] = 0;
    if (filter === 0 || (filter === 2 && y === 0)) continue;
    if (filter === 1) {
      for (let x = 1; x < width; x++) rows[at + x] = (rows[at + x] + rows[at + x - 1]) & 0xff;
    } else if (filter === 2) {
      for (let x = 0; x < width; x++) rows[at + x] = (rows[at + x] + rows[up + x]) & 0xff;
    } else if (filter === 3) {
      let left = 0;
      for (let x = 0; x < width; x++) {
        const above = y > 0 ? rows[up + x] : 0;
        rows[at + x] = left = (rows[at + x] + ((left + above) >> 1)) & 0xff;
      }
    } else if (filter === 4) {
      let left = 0;
      let upperLeft = 0;
      for (let x = 0; x < width; x++) {
        const above = y > 0 ? rows[up + x] : 0;
        const p = left + above - upperLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - above);
        const pc = Math.abs(p - upperLeft);
        const predictor = pa <= pb && pa <= pc ? left : pb <= pc ? above : upperLeft;
        rows[at + x] = left = (rows[at + x] + predictor) & 0xff;
        upperLeft = above;
      }
    } else return false;
  }
  return true;
}

/**
 * The samples of a plain 8-bit grey PNG whose `header` plainGreyPngHeader gave, as its
 * scanlines: row y's samples at `y * (width + 1) + 1`, behind a 0 byte (the filter type's
 * place), in a buffer of their own; undefined when its data does not inflate to exactly its
 * rows or a row's filter is unknown.
 */
export function decodePlainGreyPng(bytes: Uint8Array, header: PngHeader): Uint8Array | undefined {
  const { width, height } = header;
  const parts = imageData(bytes);
  if (!parts) return undefined;
  const expected = height * (width + 1);
  let rows: Buffer;
  try {
    // Room for one byte more than the rows: the rows come in one piece, never joined from several.
    rows = inflateSync(parts.length === 1 ? parts[0] : Buffer.concat(parts), { maxOutputLength: expected, chunkSize: Math.max(64, expected + 1) });
  } catch {
    return undefined;
  }
  if (rows.length !== expected) return undefined;
  return unfilter(rows, width, height) ? rows : undefined;
}
