// Decompression bombs: an image's size is checked from its header before any pixel is
// decoded, in every reader, in split and in build.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { readImageInfo } from '../../../server/image/read';
import { readMask } from '../../../server/image/mask';
import { pngStoredValues } from '../../../server/image/pngIndices';
import { DEFAULT_MAX_PIXELS, MAX_PIXELS_ENV, checkPixelLimit, maxPixels, setMaxPixels } from '../../../server/image/pixelLimit';
import { decodeMask, decodeRgb } from '../../../server/model/preprocess';
import { UserError } from '../../../server/util/errors';
import { writePngFixture } from './pngFixture';
import { runCliTimed } from './runCli';

const root = mkdtempSync(join(tmpdir(), 'al-pixel-limit-'));
after(() => rmSync(root, { recursive: true, force: true }));
const bomb = join(root, 'bomb.png');

before(async () => {
  // 256 megapixels of white: about 280 KB on disk, gigabytes once decoded.
  await sharp({ create: { width: 16000, height: 16000, channels: 3, background: '#ffffff' } }).toColourspace('b-w').png({ compressionLevel: 9 }).toFile(bomb);
});

function overLimit(file: string, size: string, limit: number) {
  return (err: unknown) =>
    err instanceof UserError && err.message.startsWith(`${file}: the image is ${size}`) && err.message.includes(`over the limit of ${limit} pixels`);
}

describe('the pixel limit of the image readers', () => {
  it('defaults to 64 megapixels, from ANOMALY_LENS_MAX_PIXELS when set, and refuses a bad value naming it', () => {
    const saved = process.env[MAX_PIXELS_ENV];
    try {
      delete process.env[MAX_PIXELS_ENV];
      assert.equal(maxPixels(), DEFAULT_MAX_PIXELS);
      assert.equal(DEFAULT_MAX_PIXELS, 64_000_000);
      process.env[MAX_PIXELS_ENV] = '1000';
      assert.equal(maxPixels(), 1000);
      setMaxPixels(50);
      assert.equal(maxPixels(), 50, 'a flag wins over the environment');
      setMaxPixels(undefined);
      process.env[MAX_PIXELS_ENV] = 'lots';
      assert.throws(() => maxPixels(), /ANOMALY_LENS_MAX_PIXELS=lots: expected a positive whole number/);
    } finally {
      if (saved === undefined) delete process.env[MAX_PIXELS_ENV];
      else process.env[MAX_PIXELS_ENV] = saved;
    }
    assert.doesNotThrow(() => checkPixelLimit('f.png', 8000, 8000, DEFAULT_MAX_PIXELS), 'an 8000x8000 image is within the default');
  });

  it('refuses the 16000x16000 PNG from its header in every reader, quickly and without decoding it', async () => {
    const start = Date.now();
    const size = '16000x16000 (256 megapixels)';
    await assert.rejects(readMask(bomb), overLimit(bomb, size, DEFAULT_MAX_PIXELS));
    await assert.rejects(readMask(bomb, { classIds: true }), overLimit(bomb, size, DEFAULT_MAX_PIXELS));
    await assert.rejects(readImageInfo(bomb), overLimit(bomb, size, DEFAULT_MAX_PIXELS));
    await assert.rejects(decodeRgb(bomb), overLimit(bomb, size, DEFAULT_MAX_PIXELS));
    await assert.rejects(decodeMask(bomb), overLimit(bomb, size, DEFAULT_MAX_PIXELS));
    assert.throws(() => pngStoredValues(bomb, readFileSync(bomb)), overLimit(bomb, size, DEFAULT_MAX_PIXELS));
    assert.ok(Date.now() - start < 5000, `refused in ${Date.now() - start} ms`);
  });

  it('applies a smaller limit given to the reader, including the palette path that decodes with fast-png', async () => {
    const file = join(root, 'palette.png');
    writePngFixture(file, 4, 3, 'palette', 8, [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], [0, 0, 0, 200, 30, 30, 30, 200, 30, 9, 9, 9]);
    assert.equal((await readMask(file, { classIds: true, maxPixels: 12 })).mask.values.length, 12);
    await assert.rejects(readMask(file, { classIds: true, maxPixels: 11 }), overLimit(file, '4x3', 11));
    assert.throws(() => pngStoredValues(file, readFileSync(file), 11), overLimit(file, '4x3', 11));
    await assert.rejects(readImageInfo(file, { maxPixels: 11 }), overLimit(file, '4x3', 11));
  });
});

describe('split and build with an image over the limit', () => {
  it('split refuses the 16000x16000 PNG with exit 2 and one line, in little time and memory', () => {
    const run = runCliTimed(['split', bomb]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^anomaly-lens: .*bomb\.png: the image is 16000x16000 \(256 megapixels\), over the limit of 64000000 pixels/);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.ok(run.peakMb !== undefined && run.peakMb < 600, `peak memory ${run.peakMb} MB`);
    assert.ok(run.seconds < 20, `took ${run.seconds} s`);
  });

  it('split --max-pixels and ANOMALY_LENS_MAX_PIXELS set the limit', () => {
    const mask = join(root, 'mask.png');
    writePngFixture(mask, 4, 3, 'grey', 8, [0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 0, 255]);
    assert.equal(runCliTimed(['split', mask, '--max-pixels', '12']).code, 0);
    const flag = runCliTimed(['split', mask, '--max-pixels', '11']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /mask\.png: the image is 4x3 \(12 pixels\), over the limit of 11 pixels/);
    const env = runCliTimed(['split', mask], { env: { ANOMALY_LENS_MAX_PIXELS: '11' } });
    assert.equal(env.code, 2);
    assert.match(env.stderr, /over the limit of 11 pixels/);
    const bad = runCliTimed(['split', mask, '--max-pixels', '0']);
    assert.equal(bad.code === 1 || bad.code === 2, true);
    assert.match(bad.stderr, /--max-pixels/);
  });

  it('build reports the 16000x16000 image as an error and builds the rest', async () => {
    const src = join(root, 'source');
    const obj = join(src, 'widget');
    const white = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#808080' } });
    for (const dir of ['train/good', 'test/good', 'test/crack', 'ground_truth/crack']) mkdirSync(join(obj, dir), { recursive: true });
    await white(16, 12).png().toFile(join(obj, 'train', 'good', '000.png'));
    await white(16, 12).png().toFile(join(obj, 'test', 'good', '000.png'));
    for (const stem of ['000', '001']) {
      await white(16, 12).png().toFile(join(obj, 'test', 'crack', `${stem}.png`));
      await sharp({ create: { width: 16, height: 12, channels: 3, background: '#000000' } })
        .composite([{ input: { create: { width: 3, height: 3, channels: 3, background: '#ffffff' } }, left: 2, top: 2 }])
        .toColourspace('b-w')
        .png()
        .toFile(join(obj, 'ground_truth', 'crack', `${stem}_mask.png`));
    }
    await sharp(bomb).toFile(join(obj, 'test', 'crack', '002.png')); // the same tiny file, as the image
    await sharp(bomb).toFile(join(obj, 'ground_truth', 'crack', '002_mask.png'));
    const out = join(root, 'dataset');
    const run = runCliTimed(['build', src, '--out', out, '--workers', '2', '--json']);
    assert.equal(run.code, 1, `problems give exit code 1: ${run.stderr}`);
    const result = JSON.parse(run.stdout) as { counts: Record<string, { images: number }>; problems: { file: string; message: string; severity: string }[] };
    assert.deepEqual(
      result.problems.map((p) => [p.file, p.severity, /the image is 16000x16000 \(256 megapixels\), over the limit of 64000000 pixels/.test(p.message)]),
      [[join(obj, 'test', 'crack', '002.png'), 'error', true]],
    );
    assert.equal(result.counts.test.images, 2, 'the two other anomalous images are built');
    const records = readFileSync(join(out, 'test.jsonl'), 'utf8').trim().split('\n');
    assert.equal(records.length, 2);
    assert.ok(run.peakMb !== undefined && run.peakMb < 1000, `peak memory ${run.peakMb} MB`);
  });
});
