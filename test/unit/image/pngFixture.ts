// Writes PNG test fixtures of an exact colour type and bit depth, including the 1-, 2- and
// 4-bit layouts sharp does not write; only for building test inputs.
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

export type PngLayout = 'grey' | 'rgb' | 'palette' | 'grey-alpha' | 'rgba';
export type PngDepth = 1 | 2 | 4 | 8 | 16;

const COLOUR_TYPE: Record<PngLayout, number> = { grey: 0, rgb: 2, palette: 3, 'grey-alpha': 4, rgba: 6 };
const SAMPLES: Record<PngLayout, number> = { grey: 1, rgb: 3, palette: 1, 'grey-alpha': 2, rgba: 4 };

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Packs one row of samples at the given depth, most significant bits first. */
function packRow(samples: ArrayLike<number>, from: number, count: number, depth: PngDepth): Buffer {
  const row = Buffer.alloc(Math.ceil((count * depth) / 8));
  for (let k = 0; k < count; k++) {
    const v = samples[from + k];
    if (depth === 16) row.writeUInt16BE(v, k * 2);
    else if (depth === 8) row[k] = v;
    else row[(k * depth) >> 3] |= v << (8 - depth - ((k * depth) & 7));
  }
  return row;
}

/** samples: row-major, interleaved; palette: RGB triples, for the palette layout. */
export function pngBytes(width: number, height: number, layout: PngLayout, depth: PngDepth, samples: ArrayLike<number>, palette?: number[]): Buffer {
  const perPixel = SAMPLES[layout];
  if (samples.length !== width * height * perPixel) throw new Error('sample count does not match the size');
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) rows.push(Buffer.from([0]), packRow(samples, y * width * perPixel, width * perPixel, depth));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = depth;
  header[9] = COLOUR_TYPE[layout];
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...(palette ? [chunk('PLTE', Buffer.from(palette))] : []),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function writePngFixture(file: string, ...args: Parameters<typeof pngBytes>): void {
  writeFileSync(file, pngBytes(...args));
}

/** Applies PNG filter `type` (0-4) to one row of 8-bit samples, `bpp` bytes per pixel, given the row above (undefined for the first). */
function filterRow(row: Uint8Array, above: Uint8Array | undefined, type: number, bpp: number): Buffer {
  const out = Buffer.alloc(row.length);
  for (let x = 0; x < row.length; x++) {
    const a = x >= bpp ? row[x - bpp] : 0;
    const b = above ? above[x] : 0;
    const c = above && x >= bpp ? above[x - bpp] : 0;
    let predictor = 0;
    if (type === 1) predictor = a;
    else if (type === 2) predictor = b;
    else if (type === 3) predictor = (a + b) >> 1;
    else if (type === 4) {
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    out[x] = (row[x] - predictor) & 0xff;
  }
  return out;
}

/**
 * An 8-bit grey PNG whose row y is stored with filter `filterOf(y)` (0 none, 1 sub, 2 up,
 * 3 average, 4 Paeth), its image data split into IDAT chunks of `idatSize` bytes, and a tRNS
 * chunk when `transparent` names the transparent grey value.
 */
export function filteredGreyPng(width: number, height: number, values: ArrayLike<number>, filterOf: (y: number) => number, idatSize = Infinity, transparent?: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Uint8Array.from({ length: width }, (_, x) => values[y * width + x]);
    const above = y > 0 ? Uint8Array.from({ length: width }, (_, x) => values[(y - 1) * width + x]) : undefined;
    rows.push(Buffer.from([filterOf(y)]), filterRow(row, above, filterOf(y), 1));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  const data = deflateSync(Buffer.concat(rows));
  const idat: Buffer[] = [];
  for (let at = 0; at < data.length; at += Math.min(idatSize, data.length)) idat.push(chunk('IDAT', data.subarray(at, at + Math.min(idatSize, data.length))));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...(transparent !== undefined ? [chunk('tRNS', Buffer.from([0, transparent]))] : []),
    ...idat,
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
