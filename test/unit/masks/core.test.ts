// Both ways of finding DBSCAN core pixels against a direct count of the disc.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { markCore } from '../../../server/masks/core';
import { discRows } from '../../../server/masks/disc';
import { pixelRows } from '../../../server/masks/pixelRows';

/** Points within eps of each point (itself included), counted pair by pair. */
function directCounts(width: number, pixels: number[], eps: number): number[] {
  return pixels.map((i) =>
    pixels.reduce((n, j) => {
      const dx = (i % width) - (j % width);
      const dy = Math.floor(i / width) - Math.floor(j / width);
      return n + (Math.sqrt(dx * dx + dy * dy) < eps ? 1 : 0);
    }, 0),
  );
}

const grid = fc.noBias(
  fc.record({ width: fc.integer({ min: 1, max: 40 }), height: fc.integer({ min: 1, max: 40 }), percent: fc.integer({ min: 1, max: 90 }), draws: fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 1600, maxLength: 1600 }) }),
);

describe('markCore', () => {
  it('counts by disc rows and by offsets exactly as a direct count', () => {
    fc.assert(
      fc.property(grid, fc.double({ min: 0.5, max: 12, noNaN: true }), fc.integer({ min: 2, max: 40 }), ({ width, height, percent, draws }, eps, minPts) => {
        const pixels: number[] = [];
        for (let i = 0; i < width * height; i++) if (draws[i] < percent) pixels.push(i);
        fc.pre(pixels.length > 0);
        const shape = pixelRows(Int32Array.from(pixels), width);
        const halfWidth = discRows(eps, shape.right - shape.left + 1, shape.rows);
        const expected = directCounts(width, pixels, eps).map((n) => (n >= minPts ? 1 : 0));
        assert.deepEqual(Array.from(markCore(shape, halfWidth, minPts, 'rows')), expected);
        assert.deepEqual(Array.from(markCore(shape, halfWidth, minPts, 'offsets')), expected);
        assert.deepEqual(Array.from(markCore(shape, halfWidth, minPts)), expected);
      }),
      { numRuns: 500 },
    );
  });
});
