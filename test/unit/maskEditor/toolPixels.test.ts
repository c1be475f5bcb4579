// The pixels the mask editor's tools select, checked against direct definitions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { floodFillPixels, magicWandPixels, polygonPixels, strokePixels } from '../../../webviews/maskEditor/tools/pixels';

const W = 20;
const H = 12;
const at = (x: number, y: number) => y * W + x;

describe('tool pixels', () => {
  it('a brush of diameter d covers the pixels whose centres lie within d/2 of its path', () => {
    const path = [{ x: 3.5, y: 4.5 }, { x: 12.5, y: 4.5 }];
    const got = new Set(strokePixels(path, 3, W, H));
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const cx = Math.max(3.5, Math.min(12.5, x + 0.5));
        const inside = (x + 0.5 - cx) ** 2 + (y + 0.5 - 4.5) ** 2 <= 1.5 ** 2;
        assert.equal(got.has(at(x, y)), inside, `(${x}, ${y})`);
      }
    }
    assert.deepEqual(Array.from(strokePixels([{ x: 7.5, y: 7.5 }], 1, W, H)), [at(7, 7)], 'a 1-pixel click paints one pixel');
    assert.deepEqual(Array.from(strokePixels([{ x: -5, y: -5 }], 2, W, H)), [], 'outside the image');
  });

  it('a polygon fills the pixels whose centres lie inside it', () => {
    const square = polygonPixels([{ x: 2, y: 2 }, { x: 6, y: 2 }, { x: 6, y: 5 }, { x: 2, y: 5 }], W, H);
    const expected: number[] = [];
    for (let y = 2; y < 5; y++) for (let x = 2; x < 6; x++) expected.push(at(x, y));
    assert.deepEqual(Array.from(square), expected);
    const triangle = new Set(polygonPixels([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 0, y: 10 }], W, H));
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) assert.equal(triangle.has(at(x, y)), x + 0.5 + y + 0.5 < 10, `(${x}, ${y})`);
  });

  it('flood fill stays inside 4-connected equal labels; the magic wand follows colour within the tolerance', () => {
    const labels = new Uint16Array(W * H);
    for (let y = 0; y < H; y++) labels[at(10, y)] = 3; // a wall
    const left = floodFillPixels(labels, W, H, at(0, 0));
    assert.equal(left.length, 10 * H);
    assert.ok(Array.from(left).every((i) => i % W < 10));
    assert.equal(floodFillPixels(labels, W, H, at(10, 5)).length, H, 'the wall itself');

    const rgba = new Uint8Array(W * H * 4);
    for (let i = 0; i < W * H; i++) rgba.set([100 + (i % W), 50, 50, 255], i * 4);
    const wand = magicWandPixels(rgba, W, H, at(0, 0), 4);
    assert.equal(wand.length, 5 * H, 'columns 0–4 lie within 4 of the seed colour');
    assert.equal(magicWandPixels(rgba, W, H, at(0, 0), 255).length, W * H);
  });
});
