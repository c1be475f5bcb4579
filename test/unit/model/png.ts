// Writes PNG files of an exact colour type and bit depth (sharp cannot write 16-bit from raw
// samples), so that decoding can be tested on every kind of input.
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

export type PngColour = 'grey' | 'rgb' | 'palette' | 'grey-alpha' | 'rgba';

const COLOUR_TYPE: Record<PngColour, number> = { grey: 0, rgb: 2, palette: 3, 'grey-alpha': 4, rgba: 6 };
const SAMPLES: Record<PngColour, number> = { grey: 1, rgb: 3, palette: 1, 'grey-alpha': 2, rgba: 4 };

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** samples: row-major, interleaved; palette: RGB triples for colour type 3. */
export function writePng(file: string, width: number, height: number, colour: PngColour, depth: 8 | 16, samples: ArrayLike<number>, palette?: number[]): void {
  const perPixel = SAMPLES[colour];
  if (samples.length !== width * height * perPixel) throw new Error('sample count does not match the size');
  const bytes = depth / 8;
  const stride = width * perPixel * bytes;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < width * perPixel; i++) {
      const v = samples[y * width * perPixel + i];
      const at = y * (stride + 1) + 1 + i * bytes;
      if (depth === 16) raw.writeUInt16BE(v, at);
      else raw[at] = v;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = COLOUR_TYPE[colour];
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (palette) parts.push(chunk('PLTE', Buffer.from(palette)));
  parts.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)));
  writeFileSync(file, Buffer.concat(parts));
}
