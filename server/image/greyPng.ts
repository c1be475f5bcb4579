// An 8-bit greyscale PNG encoded in this thread: every row unfiltered, deflated with zlib's
// run-length strategy.  Masks are long runs of 0 and 255, which this compresses as well as
// adaptive filtering with full deflate, several times faster.
import { constants, deflateSync } from 'node:zlib';
import { crc32 } from './crc32';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * The PNG of `height` rows of `width` grey samples given as scanlines: `rows` holds each row
 * behind one filter-type byte (0), `height * (width + 1)` bytes in all.
 */
export function greyPngFromScanlines(width: number, height: number, rows: Uint8Array): Buffer {
  if (rows.length !== height * (width + 1)) throw new RangeError(`${rows.length} scanline bytes for ${width}x${height} pixels`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale; compression, filter and interlace methods 0
  const data = deflateSync(rows, { strategy: constants.Z_RLE });
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', data), chunk('IEND', new Uint8Array(0))]);
}

/** Zeroed scanlines kept between calls in this thread (up to 16 MB), zeroed again after each use. */
let blank: Buffer | undefined;
const KEPT_BYTES = 16 * 1024 * 1024;

/** A 0/255 8-bit greyscale PNG with the given pixels (indices y*width+x) at 255. */
export function binaryPng(width: number, height: number, pixels: ArrayLike<number>): Buffer {
  const size = width * height;
  const stride = width + 1;
  const need = height * stride;
  // Taken while in use: an error below drops it, with whatever it holds.
  const buffer = blank && blank.length >= need ? blank : Buffer.alloc(need);
  blank = undefined;
  const rows = buffer.subarray(0, need);
  for (let k = 0; k < pixels.length; k++) {
    const i = pixels[k];
    if (!(i >= 0 && i < size)) throw new RangeError(`pixel index ${i} outside a ${width}x${height} image`);
    const y = Math.floor(i / width);
    rows[y * stride + 1 + (i - y * width)] = 255;
  }
  const png = greyPngFromScanlines(width, height, rows);
  for (let k = 0; k < pixels.length; k++) {
    const i = pixels[k];
    const y = Math.floor(i / width);
    rows[y * stride + 1 + (i - y * width)] = 0;
  }
  if (buffer.length <= KEPT_BYTES) blank = buffer;
  return png;
}

/** An 8-bit greyscale PNG of `values` (one byte per pixel, row-major). */
export function greyPng(width: number, height: number, values: Uint8Array): Buffer {
  if (values.length !== width * height) throw new RangeError(`${values.length} values for ${width}x${height} pixels`);
  const stride = width + 1;
  const rows = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) rows.set(values.subarray(y * width, (y + 1) * width), y * stride + 1);
  return greyPngFromScanlines(width, height, rows);
}
