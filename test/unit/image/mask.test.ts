import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { readMask } from '../../../server/image/mask';
import { UserError } from '../../../server/util/errors';
import { writePngFixture } from './pngFixture';
import { useTempDir } from './tempDir';

const W = 6;
const H = 4;
// prettier-ignore
const PATTERN = [
  0, 1, 1, 0, 0, 0,
  0, 1, 1, 0, 0, 1,
  0, 0, 0, 0, 0, 1,
  1, 0, 0, 0, 0, 0,
];
/** Second class for class-id fixtures: the right-hand column pixels. */
const CLASS = PATTERN.map((on, i) => (on ? (i % W === 5 ? 2 : 1) : 0));

const perPixel = <T>(f: (cls: number, i: number) => T[]): T[] => CLASS.flatMap((cls, i) => f(cls, i));

describe('readMask', () => {
  const at = useTempDir('mask');
  const binary = async (file: string, options = {}) => Array.from((await readMask(file, options)).mask.values);

  it('reads an 8-bit 0/255 grey PNG as 0/1 without warnings', async () => {
    await sharp(Buffer.from(PATTERN.map((v) => v * 255)), { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w').png().toFile(at('grey8.png'));
    const result = await readMask(at('grey8.png'));
    assert.deepEqual([result.mask.width, result.mask.height], [W, H]);
    assert.deepEqual(Array.from(result.mask.values), PATTERN);
    assert.deepEqual(result.distinctValues, [0, 255]);
    assert.deepEqual(result.warnings, []);
  });

  it('keeps 16-bit grey values as class ids and binarises them otherwise', async () => {
    writePngFixture(at('grey16.png'), W, H, 'grey', 16, CLASS.map((c) => [0, 1000, 40000][c]));
    const ids = await readMask(at('grey16.png'), { classIds: true });
    assert.deepEqual(Array.from(ids.mask.values), CLASS.map((c) => [0, 1000, 40000][c]));
    assert.deepEqual(ids.distinctValues, [0, 1000, 40000]);
    assert.deepEqual(await binary(at('grey16.png')), PATTERN);
    assert.deepEqual(await binary(at('grey16.png'), { threshold: 1000 }), CLASS.map((c) => (c === 2 ? 1 : 0)));
  });

  it('reads 1-bit grey masks, with the stored 0/1 as class ids', async () => {
    writePngFixture(at('grey1.png'), W, H, 'grey', 1, PATTERN);
    assert.deepEqual(await binary(at('grey1.png')), PATTERN);
    const ids = await readMask(at('grey1.png'), { classIds: true });
    assert.deepEqual(Array.from(ids.mask.values), PATTERN);
    assert.deepEqual(ids.distinctValues, [0, 1]);
  });

  it('reads 2- and 4-bit grey class ids as stored', async () => {
    writePngFixture(at('grey2.png'), W, H, 'grey', 2, CLASS.map((c) => [0, 2, 3][c]));
    assert.deepEqual(Array.from((await readMask(at('grey2.png'), { classIds: true })).mask.values), CLASS.map((c) => [0, 2, 3][c]));
    writePngFixture(at('grey4.png'), W, H, 'grey', 4, CLASS.map((c) => c * 7));
    assert.deepEqual(Array.from((await readMask(at('grey4.png'), { classIds: true })).mask.values), CLASS.map((c) => c * 7));
  });

  it('reads palette PNGs: colours decide anomaly, palette indices are the class ids', async () => {
    const palette = [0, 0, 0, 200, 30, 30, 30, 200, 30, 9, 9, 9];
    for (const depth of [8, 4, 2, 1] as const) {
      const indices = depth === 1 ? PATTERN : CLASS;
      writePngFixture(at(`palette${depth}.png`), W, H, 'palette', depth, indices, palette);
      assert.deepEqual(await binary(at(`palette${depth}.png`)), PATTERN, `depth ${depth}`);
      const ids = await readMask(at(`palette${depth}.png`), { classIds: true });
      assert.deepEqual(Array.from(ids.mask.values), indices, `depth ${depth}`);
    }
  });

  it('reads a palette PNG written by sharp', async () => {
    await sharp(Buffer.from(PATTERN.map((v) => v * 255)), { raw: { width: W, height: H, channels: 1 } }).png({ palette: true }).toFile(at('sharp-palette.png'));
    assert.equal((await sharp(at('sharp-palette.png')).metadata()).isPalette, true);
    assert.deepEqual(await binary(at('sharp-palette.png')), PATTERN);
  });

  it('reads RGB masks: anomaly where any colour channel is above the threshold', async () => {
    writePngFixture(at('rgb.png'), W, H, 'rgb', 8, perPixel((c) => [[0, 0, 0], [0, 0, 100], [100, 0, 0]][c]));
    const result = await readMask(at('rgb.png'));
    assert.deepEqual(Array.from(result.mask.values), PATTERN);
    assert.deepEqual(result.distinctValues, [0, 100]);
    assert.deepEqual(await binary(at('rgb.png'), { threshold: 100 }), PATTERN.map(() => 0));
  });

  it('numbers the colours of a colour-coded mask as class ids and says so', async () => {
    writePngFixture(at('colours.png'), W, H, 'rgb', 8, perPixel((c) => [[0, 0, 0], [255, 0, 0], [0, 255, 0]][c]));
    const result = await readMask(at('colours.png'), { classIds: true });
    // 0x00ff00 (green, class 2 of the fixture) sorts before 0xff0000 (red).
    assert.deepEqual(Array.from(result.mask.values), CLASS.map((c) => [0, 2, 1][c]));
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0], /colours\.png: colour mask: class ids numbered by colour \(1=#00ff00, 2=#ff0000\)/);
  });

  it('reads grey stored as RGB as grey values, also as class ids', async () => {
    writePngFixture(at('grey-rgb.png'), W, H, 'rgb', 8, perPixel((c) => Array(3).fill([0, 253, 255][c])));
    const result = await readMask(at('grey-rgb.png'), { classIds: true });
    assert.deepEqual(Array.from(result.mask.values), CLASS.map((c) => [0, 253, 255][c]));
    assert.deepEqual(result.warnings, []);
  });

  it('reads an alpha-only mask (one colour, painted by alpha)', async () => {
    writePngFixture(at('alpha.png'), W, H, 'rgba', 8, perPixel((c) => [10, 20, 30, c ? 255 : 0]));
    assert.deepEqual(await binary(at('alpha.png')), PATTERN);
    writePngFixture(at('grey-alpha.png'), W, H, 'grey-alpha', 8, perPixel((c) => [0, c ? 255 : 0]));
    assert.deepEqual(await binary(at('grey-alpha.png')), PATTERN);
    writePngFixture(at('grey-alpha16.png'), W, H, 'grey-alpha', 16, perPixel((c) => [0, c ? 65535 : 0]));
    assert.deepEqual(await binary(at('grey-alpha16.png')), PATTERN);
  });

  it('takes fully transparent pixels of an RGBA mask as background', async () => {
    writePngFixture(at('rgba.png'), W, H, 'rgba', 8, perPixel((c) => (c ? [255, 0, 0, 255] : [255, 255, 255, 0])));
    assert.deepEqual(await binary(at('rgba.png')), PATTERN);
    writePngFixture(at('rgba16.png'), W, H, 'rgba', 16, perPixel((c) => (c ? [0, 0, 65535, 65535] : [65535, 65535, 65535, 0])));
    assert.deepEqual(await binary(at('rgba16.png')), PATTERN);
  });

  it('warns, naming the file, when a binary mask holds values besides background and foreground', async () => {
    const values = PATTERN.map((v) => v * 255);
    values[12] = 128;
    values[23] = 128;
    await sharp(Buffer.from(values), { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w').png().toFile(at('stray.png'));
    const result = await readMask(at('stray.png'));
    assert.deepEqual(result.distinctValues, [0, 128, 255]);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0], new RegExp(`^${at('stray.png')}: not a binary mask: 2 pixel\\(s\\) hold values other than 0 and 255 \\(values: 0, 128, 255\\); values above 0 are taken as anomaly`));
    assert.equal(result.mask.values[12], 1);
    assert.deepEqual(await binary(at('stray.png'), { threshold: 128 }), PATTERN);
    assert.deepEqual((await readMask(at('stray.png'), { classIds: true })).warnings, []);
  });

  it('thresholds JPEG masks at 127 by default, with a warning about lossy values', async () => {
    const size = 64;
    const square = Buffer.alloc(size * size);
    for (let y = 16; y < 48; y++) for (let x = 20; x < 44; x++) square[y * size + x] = 255;
    await sharp(square, { raw: { width: size, height: size, channels: 1 } }).toColourspace('b-w').jpeg({ quality: 80 }).toFile(at('mask.jpg'));
    const result = await readMask(at('mask.jpg'));
    const values = result.mask.values;
    const wrong = Array.from(values).filter((v, i) => v !== (square[i] ? 1 : 0)).length;
    assert.ok(wrong <= 8, `${wrong} pixels differ from the square`);
    assert.ok(result.distinctValues.length > 2, 'compression left other values');
    assert.match(result.warnings.join('\n'), /mask\.jpg: not a binary mask: .*values above 127 .*JPEG compression alters mask values/);
    const noisy = (await readMask(at('mask.jpg'), { threshold: 0 })).mask.values.reduce((n, v) => n + v, 0);
    assert.ok(noisy > 32 * 24, 'threshold 0 takes compression noise as anomaly');
  });

  it('reads an RGB JPEG mask', async () => {
    const rgb = Buffer.alloc(32 * 32 * 3);
    for (let i = 0; i < 32 * 32; i++) if ((i % 32) >= 8 && (i % 32) < 24 && i >= 8 * 32 && i < 24 * 32) rgb[i * 3] = 255;
    await sharp(rgb, { raw: { width: 32, height: 32, channels: 3 } }).jpeg({ quality: 90 }).toFile(at('red.jpg'));
    const area = (await readMask(at('red.jpg'))).mask.values.reduce((n, v) => n + v, 0);
    assert.ok(Math.abs(area - 256) <= 16, `area ${area}`);
  });

  describe('rejects bad files with a UserError naming the file', () => {
    const rejects = async (file: string, problem: RegExp) => {
      await assert.rejects(readMask(file), (err: unknown) => {
        assert.ok(err instanceof UserError, String(err));
        assert.ok(err.message.startsWith(`${file}: `), err.message);
        assert.match(err.message, problem);
        return true;
      });
    };

    it('an empty file', async () => {
      writeFileSync(at('empty.png'), '');
      await rejects(at('empty.png'), /empty file/);
    });
    it('a text file named .png', async () => {
      writeFileSync(at('text.png'), 'not a mask\n');
      await rejects(at('text.png'), /not an image \(no image format recognised/);
    });
    it('a truncated PNG', async () => {
      const noise = Buffer.alloc(64 * 64);
      for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
      const png = await sharp(noise, { raw: { width: 64, height: 64, channels: 1 } }).toColourspace('b-w').png().toBuffer();
      writeFileSync(at('truncated.png'), png.subarray(0, Math.floor(png.length / 2)));
      await rejects(at('truncated.png'), /corrupt or truncated/);
    });
    it('a truncated JPEG, cut in its data or in its header', async () => {
      const noise = Buffer.alloc(128 * 128 * 3);
      for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
      const jpeg = await sharp(noise, { raw: { width: 128, height: 128, channels: 3 } }).jpeg().toBuffer();
      writeFileSync(at('truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
      await rejects(at('truncated.jpg'), /corrupt or truncated image \(.*premature end of JPEG/);
      writeFileSync(at('header.jpg'), jpeg.subarray(0, 200));
      await rejects(at('header.jpg'), /corrupt or truncated image/);
    });
    it('a missing file and a folder', async () => {
      await rejects(at('missing.png'), /no such file/);
      mkdirSync(at('folder.png'));
      await rejects(at('folder.png'), /is a directory/);
    });
  });
});
