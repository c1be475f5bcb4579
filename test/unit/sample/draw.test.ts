import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  annulus,
  createCanvas,
  developImage,
  disc,
  fillShape,
  intersect,
  polygon,
  polyline,
  roundedRect,
  shapeMask,
  shapePixels,
  subtract,
  union,
} from '../../../server/sample/draw';
import { awayFromEdge, componentCount8, fractionIn, markAround, touches } from '../../../server/sample/pixels';
import { Random } from '../../../server/sample/random';
import { components8 } from './helpers';

const count = (mask: Uint8Array) => mask.reduce((s, v) => s + v, 0);

test('rasterised shapes cover about their geometric area', () => {
  const near = (actual: number, expected: number, tolerance: number) => assert.ok(Math.abs(actual - expected) <= tolerance * expected, `${actual} vs ${expected}`);
  near(count(shapeMask(disc(30, 30, 10), 64, 64)), Math.PI * 100, 0.05);
  near(count(shapeMask(annulus(32, 32, 8, 20), 64, 64)), Math.PI * (400 - 64), 0.05);
  near(count(shapeMask(polygon([{ x: 10, y: 10 }, { x: 50, y: 10 }, { x: 10, y: 50 }]), 64, 64)), 800, 0.08);
  near(count(shapeMask(polyline([{ x: 10, y: 20.5 }, { x: 50, y: 20.5 }], 2), 64, 64)), 40 * 4 + Math.PI * 4, 0.1);
  near(count(shapeMask(roundedRect(32, 32, 20, 10, 0, Math.PI / 2), 64, 64)), 800, 0.08);
  near(count(shapeMask(disc(30, 30, 10), 64, 64, 2)), Math.PI * 144, 0.05);
  const a = disc(20, 32, 10);
  const b = disc(30.3, 32.2, 10);
  assert.equal(count(shapeMask(union(a, b), 64, 64)), count(shapeMask(a, 64, 64)) + count(shapeMask(b, 64, 64)) - count(shapeMask(intersect(a, b), 64, 64)));
  assert.equal(count(shapeMask(subtract(a, b), 64, 64)), count(shapeMask(a, 64, 64)) - count(shapeMask(intersect(a, b), 64, 64)));
});

test('shapes are clipped to the canvas and listed in ascending pixel order', () => {
  const pixels = shapePixels(disc(0, 0, 6), 32, 32);
  assert.ok(pixels.length > 0 && pixels.every((p) => p >= 0 && p < 32 * 32));
  assert.deepEqual(pixels, [...pixels].sort((x, y) => x - y));
  assert.equal(shapePixels(disc(-20, -20, 5), 32, 32).length, 0);
});

test('fillShape blends by coverage and opacity', () => {
  const canvas = createCanvas(16, 16, [100, 100, 100]);
  fillShape(canvas, disc(8, 8, 4), [200, 0, 0], { opacity: 0.5 });
  const centre = (8 * 16 + 8) * 3;
  assert.deepEqual([...canvas.data.slice(centre, centre + 3)], [150, 50, 50]);
  assert.deepEqual([...canvas.data.slice(0, 3)], [100, 100, 100]);
  const edge = (8 * 16 + 12) * 3;
  assert.ok(canvas.data[edge] > 100 && canvas.data[edge] < 150);
});

test('developImage clamps to bytes and adds noise of about the asked deviation', () => {
  const flat = createCanvas(128, 128, [128, 128, 128]);
  const bytes = developImage(flat, { contrast: 1, offset: [0, 0, 0], noise: 4 }, new Random(1));
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < bytes.length; i += 3) {
    assert.equal(bytes[i], bytes[i + 1]);
    sum += bytes[i];
    sq += bytes[i] * bytes[i];
  }
  const n = bytes.length / 3;
  const sd = Math.sqrt(sq / n - (sum / n) ** 2);
  assert.ok(Math.abs(sum / n - 128) < 0.2 && Math.abs(sd - 4) < 0.3, `mean ${sum / n} sd ${sd}`);
  const extreme = createCanvas(4, 4, [-50, 300, 128]);
  const clamped = developImage(extreme, { contrast: 1.2, offset: [0, 0, 10], noise: 0 }, new Random(1));
  assert.deepEqual([...clamped.slice(0, 3)], [0, 255, 138]);
});

test('componentCount8 joins diagonal neighbours and agrees with a plain BFS', () => {
  assert.equal(componentCount8([0, 17, 34], 16, 16), 1);
  assert.equal(componentCount8([0, 2, 32], 16, 16), 3);
  assert.equal(componentCount8([15, 16], 16, 16), 2, 'row ends do not wrap');
  const rng = new Random(3);
  for (let t = 0; t < 50; t++) {
    const mask = new Uint8Array(24 * 24);
    for (let i = 0; i < mask.length; i++) mask[i] = rng.chance(0.3) ? 1 : 0;
    const pixels = [...mask.keys()].filter((i) => mask[i]);
    assert.equal(componentCount8(pixels, 24, 24), components8(mask, 24, 24).length);
  }
});

test('markAround keeps a Chebyshev margin; touches, fractionIn and awayFromEdge', () => {
  const taken = new Uint8Array(20 * 20);
  markAround(taken, [10 * 20 + 10], 20, 20, 3);
  assert.equal(count(taken), 49);
  assert.ok(touches(taken, [13 * 20 + 13]));
  assert.ok(!touches(taken, [14 * 20 + 10]));
  assert.equal(fractionIn(taken, [10 * 20 + 10, 0]), 0.5);
  assert.ok(awayFromEdge([2 * 20 + 2], 20, 20, 2));
  assert.ok(!awayFromEdge([1 * 20 + 5], 20, 20, 2));
  assert.ok(!awayFromEdge([5 * 20 + 18], 20, 20, 2));
});
