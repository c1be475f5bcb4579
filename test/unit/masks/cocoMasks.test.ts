// COCO's masks: run-length counts and their compressed strings, and polygons and circles as
// pixels, against a reference written with numpy (cocoOracle.py, run by Debian's Python) and
// against counts worked out by hand from the format.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeCounts, encodeCounts, rleArea, rleFromPixels, rleToPixels, checkCounts } from '../../../server/masks/rle';
import { drawnPixels, rectanglePart } from '../../../server/masks/drawn';
import type { ShapePart } from '../../../server/masks/shapeTypes';

const PYTHON = '/usr/bin/python3';

interface Case {
  width: number;
  height: number;
  polygons?: number[][];
  circles?: [number, number, number][];
}
interface Answer {
  pixels: number[];
  counts: number[];
  string: string;
}

function oracle(cases: Case[]): Answer[] {
  const run = spawnSync(PYTHON, [join(__dirname, 'cocoOracle.py')], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Answer[];
}

function partsOf(c: Case): ShapePart[] {
  return [...(c.polygons ?? []).map((points): ShapePart => ({ kind: 'polygon', points })), ...(c.circles ?? []).map(([cx, cy, r]): ShapePart => ({ kind: 'circle', cx, cy, r }))];
}

/** The area a polygon encloses (shoelace). */
function shoelace(points: number[]): number {
  let twice = 0;
  const n = points.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) twice += points[2 * j] * points[2 * i + 1] - points[2 * i] * points[2 * j + 1];
  return Math.abs(twice) / 2;
}

function perimeter(points: number[]): number {
  let sum = 0;
  const n = points.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) sum += Math.hypot(points[2 * i] - points[2 * j], points[2 * i + 1] - points[2 * j + 1]);
  return sum;
}

describe('compressed RLE strings', () => {
  it('encode counts as worked out by hand from the format', () => {
    // 3, 2, 5 as they are; the fourth count is stored as 4 - 2 = 2.
    assert.equal(encodeCounts([3, 2, 5, 4]), '3252');
    assert.equal(encodeCounts([0, 4]), '04');
    // 16 needs a second group: 16 | 0x20 = 48 -> '`', then 0 -> '0'.
    assert.equal(encodeCounts([16]), '`0');
    // 0 - 1 = -1: the group 31 with its sign bit set and nothing after -> 'O'.
    assert.equal(encodeCounts([10, 1, 3, 0]), ':13O');
    for (const text of ['3252', '04', '`0', ':13O']) assert.deepEqual(encodeCounts(decodeCounts(text)), text);
    assert.deepEqual(decodeCounts(':13O'), [10, 1, 3, 0]);
  });

  it('decode what they encode, for any counts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000_000 }), { maxLength: 60 }), (counts) => {
        assert.deepEqual(decodeCounts(encodeCounts(counts)), counts);
      }),
    );
  });

  it('refuse a malformed string', () => {
    assert.throws(() => decodeCounts('0`'), /end in the middle/);
    assert.throws(() => decodeCounts('0 1'), /not part of compressed counts/);
  });
});

describe('run-length counts', () => {
  it('go from pixels to counts and back, column by column, and say what does not fit the size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.array(fc.boolean(), { minLength: 144, maxLength: 144 }), (width, height, bits) => {
        const pixels = Uint32Array.from(bits.slice(0, width * height).flatMap((b, i) => (b ? [i] : [])));
        const counts = rleFromPixels(pixels, width, height);
        assert.equal(checkCounts(counts, width, height), undefined);
        assert.equal(rleArea(counts), pixels.length);
        assert.deepEqual(rleToPixels(counts, width, height), pixels);
      }),
    );
    assert.match(checkCounts([1, 2], 2, 2) as string, /cover 3 pixels, but 2×2 is 4/);
    assert.match(checkCounts([1, -1, 4], 2, 2) as string, /-1/);
  });
});

describe('drawn regions against the numpy reference', () => {
  it('fill polygons, circles and rectangles by pixel centre, as the reference does, with the same counts and strings', () => {
    const random = fc.sample(
      fc.record({
        width: fc.integer({ min: 1, max: 40 }),
        height: fc.integer({ min: 1, max: 40 }),
        polygons: fc.array(fc.array(fc.double({ min: -5, max: 45, noNaN: true }), { minLength: 6, maxLength: 16 }).map((a) => a.slice(0, a.length - (a.length % 2))), { maxLength: 3 }),
        circles: fc.array(fc.tuple(fc.double({ min: -5, max: 45, noNaN: true }), fc.double({ min: -5, max: 45, noNaN: true }), fc.double({ min: 0, max: 15, noNaN: true })), { maxLength: 2 }),
      }),
      { numRuns: 150, seed: 17 },
    );
    const cases: Case[] = [
      { width: 10, height: 10, polygons: [[2, 2, 7, 2, 7, 7, 2, 7]] },
      // A bow tie crosses itself; a ring of two polygons is their union, not a hole.
      { width: 12, height: 12, polygons: [[1, 1, 10, 10, 10, 1, 1, 10]] },
      { width: 16, height: 16, polygons: [[1, 1, 15, 1, 15, 15, 1, 15], [4, 4, 12, 4, 12, 12, 4, 12]] },
      { width: 20, height: 14, polygons: [[0.3, 0.7, 19.6, 2.2, 11.1, 13.9]], circles: [[5.5, 9.2, 3.7]] },
      { width: 8, height: 8, polygons: [[-3, -3, 20, -3, 20, 20, -3, 20]] },
      ...random,
    ];
    const answers = oracle(cases);
    cases.forEach((c, k) => {
      const pixels = drawnPixels(partsOf(c), c.width, c.height);
      assert.deepEqual([...pixels], answers[k].pixels, `case ${k}: ${JSON.stringify(c)}`);
      const counts = rleFromPixels(pixels, c.width, c.height);
      assert.deepEqual(counts, answers[k].counts, `case ${k}`);
      assert.equal(encodeCounts(counts), answers[k].string, `case ${k}`);
    });
  });

  it('give a polygon about the area it encloses (within half its perimeter), and a rectangle on whole pixels exactly its area', () => {
    const star = [50, 5, 61, 38, 95, 38, 67, 58, 78, 92, 50, 71, 22, 92, 33, 58, 5, 38, 39, 38];
    const area = drawnPixels([{ kind: 'polygon', points: star }], 100, 100).length;
    assert.ok(Math.abs(area - shoelace(star)) <= perimeter(star) / 2, `${area} against ${shoelace(star)}`);
    assert.equal(drawnPixels([rectanglePart(3, 4, 10, 6)], 20, 20).length, 60);
    const rle: ShapePart = { kind: 'rle', counts: rleFromPixels(Uint32Array.of(0, 5, 7), 4, 2), width: 4, height: 2 };
    assert.deepEqual([...drawnPixels([rle, rectanglePart(0, 0, 1, 1)], 4, 2)], [0, 5, 7]);
  });
});
