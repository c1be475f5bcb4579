import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { areaTaps, centerSquare, footprint, resampleArea, resampleMaskMax } from '../../../server/model/resample';
import {
  CLIP_PREPROCESS,
  type RgbImage,
  decodeMask,
  decodeRgb,
  designationAlpha,
  preprocessArrays,
  preprocessFile,
} from '../../../server/model/preprocess';
import { UserError } from '../../../server/util/errors';
import { writePng } from './png';

function grey(width: number, height: number, values: number[]) {
  return { width, height, channels: 1, data: values };
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-12): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `[${i}] ${actual[i]} vs ${expected[i]}`);
  }
}

describe('centred square crop', () => {
  it('takes the middle square, origin rounded down', () => {
    assert.deepEqual(centerSquare(5, 3), { x0: 1, y0: 0, side: 3 });
    assert.deepEqual(centerSquare(3, 5), { x0: 0, y0: 1, side: 3 });
    assert.deepEqual(centerSquare(6, 3), { x0: 1, y0: 0, side: 3 });
    assert.deepEqual(centerSquare(4, 4), { x0: 0, y0: 0, side: 4 });
  });

  it('resamples only the crop (5x3 -> 3x3 keeps columns 1..3)', () => {
    const values = [0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24];
    const out = resampleArea(grey(5, 3, values), 0, centerSquare(5, 3), 3);
    assert.deepEqual(Array.from(out), [1, 2, 3, 11, 12, 13, 21, 22, 23]);
    const tall = resampleArea(grey(2, 4, [0, 1, 2, 3, 4, 5, 6, 7]), 0, centerSquare(2, 4), 2);
    assert.deepEqual(Array.from(tall), [2, 3, 4, 5]);
  });
});

describe('exact-area resampling', () => {
  it('averages 2x2 blocks when halving 4x4', () => {
    const values = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30];
    const out = resampleArea(grey(4, 4, values), 0, centerSquare(4, 4), 2);
    assert.deepEqual(Array.from(out), [(0 + 2 + 8 + 10) / 4, (4 + 6 + 12 + 14) / 4, (16 + 18 + 24 + 26) / 4, (20 + 22 + 28 + 30) / 4]);
  });

  it('weights 3 -> 2 by overlap: 2/3 and 1/3', () => {
    const taps = areaTaps(3, 2);
    assert.deepEqual(taps.map((t) => t.first), [0, 1]);
    assertClose(taps[0].weights, [2 / 3, 1 / 3]);
    assertClose(taps[1].weights, [1 / 3, 2 / 3]);
    const [a, b, c, d, e, f, g, h, i] = [9, 0, 0, 0, 0, 0, 0, 0, 90];
    const out = resampleArea(grey(3, 3, [a, b, c, d, e, f, g, h, i]), 0, centerSquare(3, 3), 2);
    // out[0][0] = 4/9 a + 2/9 b + 2/9 d + 1/9 e; out[1][1] = 1/9 e + 2/9 f + 2/9 h + 4/9 i
    assertClose(out, [(4 / 9) * a, 0, 0, (4 / 9) * i]);
  });

  it('upsamples 2 -> 3 with half weights in the middle', () => {
    const taps = areaTaps(2, 3);
    assert.deepEqual(taps.map((t) => [t.first, Array.from(t.weights)]), [[0, [1]], [0, [0.5, 0.5]], [1, [1]]]);
    const out = resampleArea(grey(2, 2, [0, 10, 20, 30]), 0, centerSquare(2, 2), 3);
    assertClose(out, [0, 5, 10, 10, 15, 20, 20, 25, 30]);
  });

  it('keeps the mean and the weights sum to one for any sizes', () => {
    for (const [s, S] of [[7, 3], [224, 224], [1024, 336], [5, 11], [13, 13]]) {
      for (const { weights } of areaTaps(s, S)) assertClose([weights.reduce((x, y) => x + y, 0)], [1], 1e-12);
    }
    const n = 37;
    const values = Array.from({ length: n * n }, (_, k) => (k * 7919) % 256);
    const out = resampleArea(grey(n, n, values), 0, centerSquare(n, n), 10);
    const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((x, y) => x + y, 0) / xs.length;
    assertClose([mean(out)], [mean(values)], 1e-9);
  });

  it('reads one channel of interleaved RGB', () => {
    const rgb = { width: 2, height: 2, channels: 3, data: [1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15] };
    assert.deepEqual(Array.from(resampleArea(rgb, 1, centerSquare(2, 2), 1)), [(2 + 6 + 10 + 14) / 4]);
  });
});

describe('mask max over the footprint', () => {
  it('spans floor(o*s/S) .. ceil((o+1)*s/S)', () => {
    assert.deepEqual(footprint(3, 2), [{ first: 0, end: 2 }, { first: 1, end: 3 }]);
    assert.deepEqual(footprint(4, 2), [{ first: 0, end: 2 }, { first: 2, end: 4 }]);
  });

  it('marks every output pixel whose footprint touches the region', () => {
    const centre = { width: 3, height: 3, data: Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0]) };
    assert.deepEqual(Array.from(resampleMaskMax(centre, centerSquare(3, 3), 2)), [1, 1, 1, 1]);
    const corner = { width: 4, height: 4, data: new Uint8Array(16) };
    corner.data[3] = 1; // x 3, y 0
    assert.deepEqual(Array.from(resampleMaskMax(corner, centerSquare(4, 4), 2)), [0, 1, 0, 0]);
  });

  it('never loses a single pixel when shrinking', () => {
    const n = 101;
    for (const at of [0, 50 * n + 50, n * n - 1, 17 * n + 93]) {
      const mask = { width: n, height: n, data: new Uint8Array(n * n) };
      mask.data[at] = 1;
      const out = resampleMaskMax(mask, centerSquare(n, n), 7);
      assert.ok(out.some((v) => v === 1), `pixel ${at}`);
    }
  });

  it('applies the same crop as the image (5x3)', () => {
    const mask = { width: 5, height: 3, data: Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]) };
    assert.deepEqual(Array.from(resampleMaskMax(mask, centerSquare(5, 3), 3)), [0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('normalisation', () => {
  const config = { ...CLIP_PREPROCESS, imageSize: 2 };

  it('writes (rgb/255 - mean)/std channel-first and alpha ±1.923', () => {
    const px = [255, 128, 0];
    const rgb: RgbImage = { width: 2, height: 2, channels: 3, data: Uint8Array.from([...px, ...px, ...px, ...px]) };
    const mask = { width: 2, height: 2, data: Uint8Array.from([1, 0, 0, 0]) };
    const out = preprocessArrays(rgb, mask, config);
    for (let c = 0; c < 3; c++) {
      const expected = Math.fround((px[c] / 255 - config.mean[c]) / config.std[c]);
      assert.deepEqual(Array.from(out.image.subarray(c * 4, c * 4 + 4)), [expected, expected, expected, expected]);
    }
    const inside = Math.fround(0.5 / 0.26);
    assert.deepEqual(Array.from(out.alpha), [inside, -inside, -inside, -inside]);
    assert.ok(Math.abs(inside - 1.923) < 1e-3);
    assert.equal(out.wholeImage, false);
    assert.equal(out.outsideCrop, false);
  });

  it('designates the whole image when the mask is absent or empty', () => {
    const inside = Math.fround(0.5 / 0.26);
    for (const mask of [undefined, { width: 3, height: 2, data: new Uint8Array(6) }]) {
      const a = designationAlpha(mask, 3, 2, config);
      assert.equal(a.wholeImage, true);
      assert.deepEqual(Array.from(a.alpha), [inside, inside, inside, inside]);
    }
  });

  it('flags a designation that lies outside the centred square', () => {
    const mask = { width: 4, height: 2, data: Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0]) };
    const a = designationAlpha(mask, 4, 2, config);
    assert.equal(a.wholeImage, false);
    assert.equal(a.outsideCrop, true);
    assert.ok(a.alpha.every((v) => v < 0));
  });
});

describe('decoding files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-preprocess-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string) => join(dir, name);

  it('scales 16-bit samples by round(v/257), not by dropping the low byte', async () => {
    const values = [0, 257, 65535, 1000, 30000, 128];
    writePng(file('g16.png'), 3, 2, 'grey', 16, values);
    const rgb = await decodeRgb(file('g16.png'));
    const expected = values.flatMap((v) => [Math.round(v / 257), Math.round(v / 257), Math.round(v / 257)]);
    assert.deepEqual(Array.from(rgb.data), expected);
    assert.equal(rgb.data[9], 4); // 1000/257 = 3.89, while 1000 >> 8 = 3

    const rgba16 = values.flatMap((v) => [v, 65535 - v, v >> 1, 4000]);
    writePng(file('rgba16.png'), 3, 2, 'rgba', 16, rgba16);
    const colour = await decodeRgb(file('rgba16.png'));
    assert.deepEqual(Array.from(colour.data), values.flatMap((v) => [v, 65535 - v, v >> 1].map((x) => Math.round(x / 257))));
  });

  it('replicates grey, drops alpha and expands palettes (8-bit)', async () => {
    writePng(file('ga.png'), 2, 1, 'grey-alpha', 8, [10, 0, 200, 255]);
    assert.deepEqual(Array.from((await decodeRgb(file('ga.png'))).data), [10, 10, 10, 200, 200, 200]);
    writePng(file('rgba.png'), 2, 1, 'rgba', 8, [1, 2, 3, 0, 4, 5, 6, 128]);
    assert.deepEqual(Array.from((await decodeRgb(file('rgba.png'))).data), [1, 2, 3, 4, 5, 6]);
    writePng(file('pal.png'), 3, 1, 'palette', 8, [2, 0, 1], [0, 0, 0, 255, 0, 0, 7, 8, 9]);
    assert.deepEqual(Array.from((await decodeRgb(file('pal.png'))).data), [7, 8, 9, 0, 0, 0, 255, 0, 0]);
  });

  it('reads masks as any value above 0, at their own depth', async () => {
    writePng(file('m16.png'), 3, 1, 'grey', 16, [0, 1, 65535]);
    assert.deepEqual(Array.from((await decodeMask(file('m16.png'))).data), [0, 1, 1]);
    writePng(file('mrgb.png'), 3, 1, 'rgb', 8, [0, 0, 0, 0, 0, 3, 255, 255, 255]);
    assert.deepEqual(Array.from((await decodeMask(file('mrgb.png'))).data), [0, 1, 1]);
    writePng(file('mpal.png'), 2, 1, 'palette', 8, [1, 0], [0, 0, 0, 255, 255, 255]);
    assert.deepEqual(Array.from((await decodeMask(file('mpal.png'))).data), [1, 0]);
  });

  it('combines several masks and checks their size against the image', async () => {
    writePng(file('img.png'), 4, 2, 'rgb', 8, Array.from({ length: 24 }, (_, i) => i * 10));
    writePng(file('a.png'), 4, 2, 'grey', 8, [0, 255, 0, 0, 0, 0, 0, 0]);
    writePng(file('b.png'), 4, 2, 'grey', 8, [0, 0, 0, 0, 0, 0, 255, 0]);
    const config = { ...CLIP_PREPROCESS, imageSize: 2 };
    const both = await preprocessFile(file('img.png'), [file('a.png'), file('b.png')], config);
    const inside = Math.fround(0.5 / 0.26);
    // crop x0 = 1: a's pixel (1,0) -> output (0,0); b's pixel (2,1) -> output (1,1)
    assert.deepEqual(Array.from(both.alpha), [inside, -inside, -inside, inside]);
    const inMemory = await preprocessFile(file('img.png'), [{ width: 4, height: 2, values: [0, 7, 0, 0, 0, 9, 0, 0] }], config);
    assert.deepEqual(Array.from(inMemory.alpha), [inside, -inside, inside, -inside]);
    const none = await preprocessFile(file('img.png'), [], config);
    assert.equal(none.wholeImage, true);
    assert.deepEqual(none.image, both.image);

    writePng(file('small.png'), 2, 2, 'grey', 8, [0, 255, 0, 0]);
    await assert.rejects(preprocessFile(file('img.png'), [file('small.png')], config), (err: unknown) => {
      return err instanceof UserError && err.message.includes(file('small.png')) && err.message.includes('2x2') && err.message.includes('4x2');
    });
  });

  it('names the file that cannot be read', async () => {
    writeFileSync(file('broken.png'), 'not an image');
    await assert.rejects(decodeRgb(file('broken.png')), (err: unknown) => err instanceof UserError && err.message.startsWith(`${file('broken.png')}: cannot read the image`));
    await assert.rejects(decodeMask(file('missing.png')), (err: unknown) => err instanceof UserError && err.message.includes('missing.png'));
  });
});
