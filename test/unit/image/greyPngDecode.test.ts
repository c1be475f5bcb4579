// The in-thread decoder of plain 8-bit grey PNGs gives libvips' samples for every row filter
// and chunking, and leaves every other file to the general decoder.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { decodePlainGreyPng, plainGreyPngHeader } from '../../../server/image/greyPngDecode';
import { readMask } from '../../../server/image/mask';
import { crc32 } from '../../../server/image/crc32';
import { seededRandom } from '../../../bench/benchArgs';
import { SAMPLE } from '../masks/sample';
import { filteredGreyPng, pngBytes } from './pngFixture';
import { useTempDir } from './tempDir';

async function libvipsSamples(png: Buffer): Promise<Buffer> {
  const { data, info } = await sharp(png, { ignoreIcc: true }).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 1);
  return data;
}

/** The samples, from the scanlines the decoder gives (each row behind a 0 byte). */
function decoded(png: Buffer): Uint8Array | undefined {
  const header = plainGreyPngHeader(png);
  const rows = header && decodePlainGreyPng(png, header);
  if (!header || !rows) return undefined;
  const { width, height } = header;
  assert.equal(rows.length, height * (width + 1));
  const samples = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    assert.equal(rows[y * (width + 1)], 0, `the byte before row ${y}`);
    samples.set(rows.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return samples;
}

/** Blobs of 255 on 0 with a few other values, as masks are. */
function maskLike(width: number, height: number, random: () => number): number[] {
  return Array.from({ length: width * height }, (_, i) => {
    const x = i % width;
    const y = Math.floor(i / width);
    const r = random();
    if (r < 0.05) return Math.floor(random() * 256);
    return (x - width / 3) ** 2 + (y - height / 2) ** 2 < (width * height) / 12 ? 255 : 0;
  });
}

/** `png` with its IDAT data replaced by `rows` deflated (chunk CRCs made right). */
function withRows(png: Buffer, rows: Buffer): Buffer {
  const at = png.indexOf('IDAT') - 4;
  const length = png.readUInt32BE(at);
  const data = deflateSync(rows);
  const idat = Buffer.alloc(12 + data.length);
  idat.writeUInt32BE(data.length, 0);
  idat.write('IDAT', 4, 'latin1');
  data.copy(idat, 8);
  idat.writeUInt32BE(crc32(idat.subarray(4, 8 + data.length)), 8 + data.length);
  return Buffer.concat([png.subarray(0, at), idat, png.subarray(at + 12 + length)]);
}

describe('decodePlainGreyPng', () => {
  const at = useTempDir('grey-png');

  it('gives the samples libvips gives for every row filter, in one IDAT chunk or several', async () => {
    const random = seededRandom(11);
    const filterings: [string, (y: number) => number][] = [
      ['none', () => 0],
      ['sub', () => 1],
      ['up', () => 2],
      ['average', () => 3],
      ['Paeth', () => 4],
      ['mixed', (y) => (y * 7) % 5],
    ];
    const pictures = [[1, 1], [1, 9], [13, 7], [64, 33]].flatMap(([width, height]) => [
      { width, height, values: maskLike(width, height, random) },
      // Few levels, so that Paeth's predictors often tie; and every level.
      { width, height, values: Array.from({ length: width * height }, () => Math.floor(random() * 3)) },
      { width, height, values: Array.from({ length: width * height }, () => Math.floor(random() * 256)) },
    ]);
    for (const { width, height, values } of pictures) {
      for (const [name, filterOf] of filterings) {
        for (const idatSize of [Infinity, 5]) {
          const png = filteredGreyPng(width, height, values, filterOf, idatSize);
          const ours = decoded(png);
          assert.ok(ours, `${width}x${height} ${name} ${idatSize}`);
          assert.deepEqual([...ours], [...(await libvipsSamples(png))], `${width}x${height} ${name} ${idatSize}`);
          assert.deepEqual([...ours], values);
          writeFileSync(at('m.png'), png);
          const read = await readMask(at('m.png'), { classIds: true });
          assert.deepEqual([...read.mask.values], values);
        }
      }
    }
  });

  it('reads the real sample masks as libvips does', async () => {
    let masks = 0;
    for (const object of ['otx_hazelnut', 'tire']) {
      for (const defect of readdirSync(join(SAMPLE, object, 'ground_truth'))) {
        for (const name of readdirSync(join(SAMPLE, object, 'ground_truth', defect))) {
          const png = readFileSync(join(SAMPLE, object, 'ground_truth', defect, name));
          const ours = decoded(png);
          assert.ok(ours, name);
          assert.ok(Buffer.from(ours).equals(await libvipsSamples(png)), name);
          masks++;
        }
      }
    }
    assert.equal(masks, 25);
  });

  it('leaves other layouts, transparency, an unknown filter and data of the wrong length to the general decoder', async () => {
    const values = [0, 255, 255, 0, 7, 0];
    for (const png of [pngBytes(3, 2, 'grey', 16, values), pngBytes(3, 2, 'grey', 4, values.map((v) => v & 15)), pngBytes(3, 2, 'rgb', 8, values.flatMap((v) => [v, v, v]))]) {
      assert.equal(plainGreyPngHeader(png), undefined);
    }
    const plain = filteredGreyPng(3, 2, values, () => 0);
    assert.ok(decoded(plain));
    const transparent = filteredGreyPng(3, 2, values, () => 0, Infinity, 255);
    assert.equal(decoded(transparent), undefined);
    const rows = (filter: number, extra = 0) => Buffer.concat([Buffer.from([0, 0, 255, 255, filter, 0, 7, 0]), Buffer.alloc(extra)]);
    assert.ok(decoded(withRows(plain, rows(1))));
    assert.equal(decoded(withRows(plain, rows(5))), undefined);
    assert.equal(decoded(withRows(plain, rows(0).subarray(0, 7))), undefined);
    assert.equal(decoded(withRows(plain, rows(0, 1))), undefined);
    // A damaged byte fails its chunk's CRC.
    const damaged = Buffer.from(plain);
    damaged[damaged.indexOf('IDAT') + 6] ^= 1;
    assert.equal(decoded(damaged), undefined);

    // The general decoder reads the transparent grey as transparent (background).
    writeFileSync(at('trns.png'), transparent);
    const read = await readMask(at('trns.png'), { classIds: true });
    assert.deepEqual([...read.mask.values], [0, 0, 0, 0, 7, 0]);
  });
});
