// Raw samples of palette and 1/2/4-bit grey PNGs: the decoder the rest of the reader uses
// expands palettes to colours and scales low bit depths to 8 bits, but a class-id mask
// needs the stored numbers (palette index = class id).
import { decode } from 'fast-png';
import { UserError, errorMessage } from '../util/errors';
import { checkPixelLimit, maxPixels } from './pixelLimit';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which a valid PNG has first, right after the signature. */
export function pngHeaderSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(SIGNATURE) || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** fast-png decodes everything at once, so the size is checked from the header first. */
export function pngStoredValues(file: string, bytes: Buffer, limit: number = maxPixels()): Uint16Array {
  const header = pngHeaderSize(bytes);
  if (!header) throw new UserError('not a PNG (no PNG signature and header)', file);
  checkPixelLimit(file, header.width, header.height, limit);
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (err) {
    throw new UserError(`cannot decode the PNG's stored values (${errorMessage(err)})`, file);
  }
  const { width, height, depth, channels, data } = png;
  if (channels !== 1) throw new UserError(`expected one sample per pixel in a palette or low-depth PNG, found ${channels}`, file);
  const values = new Uint16Array(width * height);
  if (depth >= 8) {
    values.set(data.subarray(0, values.length));
    return values;
  }
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = data[y * rowBytes + (bit >> 3)];
      values[y * width + x] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return values;
}
