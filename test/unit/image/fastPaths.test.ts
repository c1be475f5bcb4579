// The mask reader's and the region writer's fast paths give what the straightforward ones give:
// the same values, counts and warnings from masks of every depth and size, and the same
// pixels from the in-process PNG encoder as from libvips'.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { readMask } from '../../../server/image/mask';
import { binaryPng, greyPng } from '../../../server/image/greyPng';
import { regionPngLibvips } from '../../../server/image/write';
import { splitMask } from '../../../server/masks/split';
import { seededRandom } from '../../../bench/benchArgs';
import { SAMPLE } from '../masks/sample';
import { writePngFixture } from './pngFixture';
import { useTempDir } from './tempDir';

async function pixels(png: Buffer): Promise<Buffer> {
  return sharp(png).toColourspace('b-w').raw().toBuffer();
}

describe('the mask reader', () => {
  const at = useTempDir('fast-mask');

  it('counts and thresholds every value as a pixel-by-pixel reading does, at 8 and 16 bits, in masks of any length', async () => {
    const random = seededRandom(7);
    // Values that read as -0 in a float64 of eight bytes (0x80 last) or four 16-bit lanes
    // (0x8000 last) must not be taken for zeros.
    for (const [depth, width, height, high] of [[8, 13, 7, 0x80], [8, 16, 16, 0x80], [16, 9, 5, 0x8000], [16, 8, 8, 0x8000]] as const) {
      const lanes = depth === 8 ? 8 : 4;
      const values = Array.from({ length: width * height }, (_, i) => {
        if (i < 4 * lanes) return i % lanes === lanes - 1 ? high : 0; // words that read as -0
        const r = random();
        return r < 0.6 ? 0 : r < 0.75 ? high : r < 0.8 ? 1 : Math.floor(random() * (depth === 8 ? 256 : 65536));
      });
      const file = at(`m${depth}-${width}.png`);
      writePngFixture(file, width, height, 'grey', depth, values);
      for (const threshold of [0, 100]) {
        for (const [classIds, generalDecoder] of [[false, false], [true, false], [false, true], [true, true]]) {
          const read = await readMask(file, { threshold, classIds, generalDecoder });
          assert.deepEqual(Array.from(read.mask.values), values.map((v) => (v > threshold ? (classIds ? v : 1) : 0)), `${file} ${threshold} ${classIds} ${generalDecoder}`);
          assert.equal(read.foreground, values.filter((v) => v > threshold).length);
          assert.deepEqual([...read.pixels], values.flatMap((v, i) => (v > threshold ? [i] : [])));
          assert.deepEqual(read.distinctValues, [...new Set(values)].sort((a, b) => a - b));
        }
      }
    }
  });
});

describe('the pixels the mask reader lists', () => {
  it('split as the mask values do, on the real sample, read by both decoders', async () => {
    for (const object of ['otx_hazelnut', 'tire']) {
      const classIds = object === 'tire';
      for (const defect of readdirSync(join(SAMPLE, object, 'ground_truth'))) {
        for (const name of readdirSync(join(SAMPLE, object, 'ground_truth', defect))) {
          const file = join(SAMPLE, object, 'ground_truth', defect, name);
          const plain = await readMask(file, { classIds });
          const general = await readMask(file, { classIds, generalDecoder: true });
          assert.deepEqual(plain.mask, general.mask, name);
          assert.deepEqual(plain.pixels, general.pixels, name);
          for (const mode of ['dbscan', 'cc4'] as const) {
            const options = { mode, perClass: classIds };
            assert.deepEqual(splitMask(plain.mask, options, plain.pixels), splitMask(plain.mask, options), `${name} ${mode}`);
          }
        }
      }
    }
  });
});

describe('the region writer', () => {
  it('writes the pixels libvips writes for each region of the real sample, as 8-bit grey PNGs', async () => {
    const masks = ['tire/ground_truth/combined/000_mask.png', 'otx_hazelnut/ground_truth/colour/000_mask.png'];
    for (const rel of masks) {
      const read = await readMask(join(SAMPLE, rel), { classIds: rel.startsWith('tire') });
      const { width, height } = read.mask;
      for (const region of splitMask(read.mask).regions) {
        const ours = binaryPng(width, height, region.pixels);
        assert.deepEqual(await pixels(ours), await pixels(await regionPngLibvips(width, height, region.pixels)), rel);
        const metadata = await sharp(ours).metadata();
        assert.deepEqual([metadata.width, metadata.height, metadata.channels, metadata.depth], [width, height, 1, 'uchar']);
      }
    }
    assert.ok(readdirSync(join(SAMPLE, 'tire/ground_truth/combined')).length > 0);
  });

  it('starts each picture blank, after another and after a refused one', async () => {
    assert.throws(() => binaryPng(4, 4, [1, 2, 99]), /pixel index 99 outside a 4x4 image/);
    const one = await pixels(binaryPng(4, 4, [5]));
    const other = await pixels(binaryPng(4, 4, [6, 15]));
    assert.deepEqual([...one].flatMap((v, i) => (v ? [i] : [])), [5]);
    assert.deepEqual([...other].flatMap((v, i) => (v ? [i] : [])), [6, 15]);
    const grey = Uint8Array.from({ length: 15 }, (_, i) => i * 17);
    assert.deepEqual([...(await pixels(greyPng(5, 3, grey)))], [...grey]);
  });
});
