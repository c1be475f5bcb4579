// 8-bit greyscale PNGs encoded in this thread, every row unfiltered.  A binary (0/255) picture
// is given by its pixels and deflated straight from its runs (runDeflate.ts), never laid out
// in full; any other is deflated with zlib's run-length strategy.  Masks are long runs of 0
// and 255, which these compress as well as adaptive filtering with full deflate, many times
// faster.
import { constants, deflateSync } from 'node:zlib';
import { crc32 } from './crc32';
import { deflateRuns } from './runDeflate';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** The PNG of a greyscale picture (8 or 16 bits a sample) whose scanlines (each behind filter type 0) deflate to `data` (a zlib stream). */
export function greyPngOf(width: number, height: number, data: Uint8Array, bitDepth: 8 | 16 = 8): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = bitDepth;
  header[9] = 0; // greyscale; compression, filter and interlace methods 0
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', data), chunk('IEND', new Uint8Array(0))]);
}

/**
 * The PNG of `height` rows of `width` grey samples given as scanlines: `rows` holds each row
 * behind one filter-type byte (0), `height * (width + 1)` bytes in all.
 */
export function greyPngFromScanlines(width: number, height: number, rows: Uint8Array): Buffer {
  if (rows.length !== height * (width + 1)) throw new RangeError(`${rows.length} scanline bytes for ${width}x${height} pixels`);
  return greyPngOf(width, height, deflateSync(rows, { strategy: constants.Z_RLE }));
}

/** Ascending distinct pixel indices: `pixels` itself when it already is. */
function ascending(pixels: ArrayLike<number>): ArrayLike<number> {
  for (let k = 1; k < pixels.length; k++) {
    if (!(pixels[k] > pixels[k - 1])) return Float64Array.from(new Set(Array.from(pixels))).sort();
  }
  return pixels;
}

/** A 0/255 8-bit greyscale PNG with the given pixels (indices y*width+x) at 255. */
export function binaryPng(width: number, height: number, pixels: ArrayLike<number>): Buffer {
  const size = width * height;
  const stride = width + 1;
  const sorted = ascending(pixels);
  const n = sorted.length;
  // The scanlines as runs: zeros (filter bytes among them) between runs of 255.
  const values = new Uint8Array(2 * n + 1);
  const lengths = new Uint32Array(2 * n + 1);
  let runs = 0;
  let at = 0;
  for (let k = 0; k < n; k++) {
    const i = sorted[k];
    if (!(i >= 0 && i < size)) throw new RangeError(`pixel index ${i} outside a ${width}x${height} image`);
    const position = i + Math.floor(i / width) + 1;
    if (position === at && runs > 0) lengths[runs - 1]++;
    else {
      if (position > at) {
        lengths[runs] = position - at;
        runs++;
      }
      values[runs] = 255;
      lengths[runs] = 1;
      runs++;
    }
    at = position + 1;
  }
  if (at < height * stride) {
    lengths[runs] = height * stride - at;
    runs++;
  }
  return greyPngOf(width, height, deflateRuns(values, lengths, runs));
}

/** An 8-bit greyscale PNG of `values` (one byte per pixel, row-major). */
export function greyPng(width: number, height: number, values: Uint8Array): Buffer {
  if (values.length !== width * height) throw new RangeError(`${values.length} values for ${width}x${height} pixels`);
  const stride = width + 1;
  const rows = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) rows.set(values.subarray(y * width, (y + 1) * width), y * stride + 1);
  return greyPngFromScanlines(width, height, rows);
}
