// The run encoder's zlib streams inflate (with zlib, checksum checked) to exactly the bytes of
// their runs, and the binary PNGs built on it decode (with libvips) to exactly their pixels, no
// larger than zlib's own run-length deflate of the same rows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constants, deflateSync, inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { deflateRuns, huffmanLengths } from '../../../server/image/runDeflate';
import { binaryPng } from '../../../server/image/greyPng';
import { seededRandom } from '../../../bench/benchArgs';

function expand(values: number[], lengths: number[]): Buffer {
  return Buffer.concat(values.map((v, r) => Buffer.alloc(lengths[r], v)));
}

function scanlines(width: number, height: number, pixels: Iterable<number>): Buffer {
  const rows = Buffer.alloc(height * (width + 1));
  for (const i of pixels) rows[Math.floor(i / width) * (width + 1) + 1 + (i % width)] = 255;
  return rows;
}

describe('deflateRuns', () => {
  it('gives back the bytes of any runs, at every length around the copy limits', () => {
    const edges = [1, 2, 3, 4, 5, 10, 11, 257, 258, 259, 260, 261, 262, 515, 516, 517, 518, 519, 1000];
    for (const length of edges) {
      for (const values of [[0], [255], [0, 255, 0], [7, 7, 9]]) {
        const lengths = values.map(() => length);
        assert.ok(inflateSync(deflateRuns(values, lengths, values.length)).equals(expand(values, lengths)), `${values} x ${length}`);
      }
    }
    const random = seededRandom(3);
    for (let trial = 0; trial < 200; trial++) {
      const count = 1 + Math.floor(random() * 40);
      const values = Array.from({ length: count }, () => (random() < 0.7 ? (random() < 0.5 ? 0 : 255) : Math.floor(random() * 256)));
      const lengths = Array.from({ length: count }, () => 1 + Math.floor(random() ** 3 * 3000));
      assert.ok(inflateSync(deflateRuns(values, lengths, count)).equals(expand(values, lengths)), `trial ${trial}`);
    }
    const long = [0, 255, 0];
    const longLengths = [3_000_001, 1, 5_000_000];
    assert.ok(inflateSync(deflateRuns(long, longLengths, 3)).equals(expand(long, longLengths)));
  });

  it('makes complete Huffman codes within the length limit, also for one symbol and skewed counts', () => {
    const fibonacci = [1, 1];
    while (fibonacci.length < 30) fibonacci.push(fibonacci[fibonacci.length - 1] + fibonacci[fibonacci.length - 2]);
    for (const [freq, limit] of [[fibonacci, 15], [fibonacci.slice(0, 19), 7], [[0, 0, 5, 0], 15], [[0, 0, 0, 9], 7], [[3, 3, 3, 3, 3], 7]] as const) {
      const lengths = huffmanLengths(freq, limit);
      assert.ok(Math.max(...lengths) <= limit, `${freq}`);
      assert.ok(freq.every((f, s) => f === 0 || lengths[s] > 0));
      const kraft = [...lengths].reduce((sum, l) => sum + (l > 0 ? 2 ** -l : 0), 0);
      assert.equal(kraft, 1, `${freq}`);
    }
  });
});

describe('binaryPng', () => {
  it('decodes to exactly its pixels, in any order, no larger than zlib run-length deflate of its rows', async () => {
    const random = seededRandom(5);
    const cases: [number, number, number[]][] = [
      [1, 1, []],
      [1, 1, [0]],
      [1, 5, [0, 1, 2, 3, 4]],
      [7, 3, [6, 7, 13, 14, 20]],
      [300, 200, []],
      [300, 200, Array.from({ length: 60000 }, (_, i) => i)],
    ];
    for (let trial = 0; trial < 30; trial++) {
      const width = 1 + Math.floor(random() * 400);
      const height = 1 + Math.floor(random() * 300);
      const cx = random() * width;
      const cy = random() * height;
      const r = random() * Math.min(width, height);
      const pixels: number[] = [];
      for (let i = 0; i < width * height; i++) if ((i % width - cx) ** 2 + (Math.floor(i / width) - cy) ** 2 < r * r || random() < 0.002) pixels.push(i);
      cases.push([width, height, pixels]);
    }
    for (const [width, height, pixels] of cases) {
      const rows = scanlines(width, height, pixels);
      const png = binaryPng(width, height, Uint32Array.from(pixels));
      const { data, info } = await sharp(png).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
      assert.deepEqual([info.width, info.height, info.channels], [width, height, 1]);
      const expected = Buffer.alloc(width * height);
      for (const i of pixels) expected[i] = 255;
      assert.ok(data.equals(expected), `${width}x${height}, ${pixels.length} pixels`);
      const zlibSize = deflateSync(rows, { strategy: constants.Z_RLE }).length;
      const idat = png.readUInt32BE(33);
      assert.ok(idat <= zlibSize + 16, `${width}x${height}: ${idat} bytes of image data, zlib ${zlibSize}`);
      // Shuffled and repeated pixels give the same file.
      const shuffled = [...pixels, ...pixels.slice(0, 3)].sort(() => random() - 0.5);
      assert.ok(binaryPng(width, height, shuffled).equals(png));
    }
  });
});
