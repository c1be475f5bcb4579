// The grid DBSCAN against density-clustering on random masks: same clusters, same noise.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitMask } from '../../../server/masks/split';
import type { LabelMask } from '../../../server/masks/types';
import { libraryPartition, resultPartition } from './oracle';

const MAX_POINTS = 600;

type Shape =
  | { kind: 'disc'; x: number; y: number; r: number }
  | { kind: 'rect'; x: number; y: number; w: number; h: number }
  | { kind: 'line'; x0: number; y0: number; x1: number; y1: number };

function draw(values: Uint16Array, width: number, height: number, shape: Shape, value: number): void {
  const set = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < width && y < height) values[y * width + x] = value;
  };
  if (shape.kind === 'disc') {
    for (let dy = -shape.r; dy <= shape.r; dy++) for (let dx = -shape.r; dx <= shape.r; dx++) if (dx * dx + dy * dy <= shape.r * shape.r + shape.r) set(shape.x + dx, shape.y + dy);
  } else if (shape.kind === 'rect') {
    for (let y = shape.y; y < shape.y + shape.h; y++) for (let x = shape.x; x < shape.x + shape.w; x++) set(x, y);
  } else {
    const steps = Math.max(Math.abs(shape.x1 - shape.x0), Math.abs(shape.y1 - shape.y0), 1);
    for (let s = 0; s <= steps; s++) set(Math.round(shape.x0 + ((shape.x1 - shape.x0) * s) / steps), Math.round(shape.y0 + ((shape.y1 - shape.y0) * s) / steps));
  }
}

// Without bias: fast-check otherwise favours tiny grids.
const size = fc.noBias(fc.record({ width: fc.integer({ min: 1, max: 48 }), height: fc.integer({ min: 1, max: 48 }) }));

const shape = (width: number, height: number): fc.Arbitrary<Shape> => {
  const x = fc.integer({ min: 0, max: width - 1 });
  const y = fc.integer({ min: 0, max: height - 1 });
  return fc.oneof(
    fc.record({ kind: fc.constant('disc' as const), x, y, r: fc.integer({ min: 0, max: 8 }) }),
    fc.record({ kind: fc.constant('rect' as const), x, y, w: fc.integer({ min: 1, max: 14 }), h: fc.integer({ min: 1, max: 14 }) }),
    fc.record({ kind: fc.constant('line' as const), x0: x, y0: y, x1: x, y1: y }),
  );
};

/** Sparse noise: each pixel on with a probability of up to 40 %. */
const sparseMask = size.chain(({ width, height }) =>
  fc.tuple(fc.integer({ min: 1, max: 40 }), fc.array(fc.integer({ min: 0, max: 99 }), { minLength: width * height, maxLength: width * height })).map(
    ([percent, draws]): LabelMask => ({ width, height, values: Uint16Array.from(draws, (d) => (d < percent ? 1 : 0)) }),
  ),
);

/** Blobs, boxes and thin lines that touch and cross, with speckle around them; classes 1..classes. */
const shapesMask = (classes: number) =>
  size.chain(({ width, height }) =>
    fc
      .tuple(
        fc.array(fc.tuple(shape(width, height), fc.integer({ min: 1, max: classes })), { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: width * height - 1 }), fc.integer({ min: 1, max: classes })), { maxLength: 40 }),
      )
      .map(([shapes, speckle]): LabelMask => {
        const values = new Uint16Array(width * height);
        for (const [s, value] of shapes) draw(values, width, height, s, value);
        for (const [i, value] of speckle) values[i] = value;
        return { width, height, values };
      }),
  );

/**
 * Two dense blocks a few columns apart with sparse pixels in the gap: gap pixels are border
 * points within reach of both clusters, where the library's visiting order decides.
 */
const touchingBlobs = fc
  .noBias(fc.record({
    height: fc.integer({ min: 2, max: 24 }),
    left: fc.integer({ min: 1, max: 12 }),
    gap: fc.integer({ min: 1, max: 4 }),
    right: fc.integer({ min: 1, max: 12 }),
    gapDraws: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 4 * 24, maxLength: 4 * 24 }),
    holeDraws: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 16 * 24, maxLength: 16 * 24 }),
  }))
  .map(({ height, left, gap, right, gapDraws, holeDraws }): LabelMask => {
    const width = left + gap + right;
    const values = new Uint16Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const inGap = x >= left && x < left + gap;
        const on = inGap ? gapDraws[y * 4 + (x - left)] < 3 : holeDraws[y * 16 + (x % 16)] < 8;
        values[y * width + x] = on ? 1 : 0;
      }
    }
    return { width, height, values };
  });

const eps = fc.oneof(
  fc.constantFrom(0.5, 0.99, 1, 1.0001, Math.SQRT2, 1.5, 2, Math.sqrt(5), 2.5, 3, Math.sqrt(13), 4.5),
  fc.double({ min: 0.5, max: 4.5, noNaN: true }),
);
const minPts = fc.integer({ min: 1, max: 8 });

const count = (mask: LabelMask) => mask.values.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
const small = (mask: LabelMask) => count(mask) <= MAX_POINTS;

function agrees(mask: LabelMask, e: number, k: number, perClass = false): void {
  const result = splitMask(mask, { mode: 'dbscan', eps: e, minPts: k, minArea: 0, perClass });
  const expected = libraryPartition(mask, e, k, perClass);
  const actual = resultPartition(mask, result);
  assert.deepEqual(actual.regions, expected.regions);
  assert.deepEqual(actual.noise, expected.noise);
  assert.equal(result.noise, expected.noise.length);
}

describe('grid DBSCAN equals density-clustering', () => {
  it('on sparse noise', () => {
    fc.assert(fc.property(sparseMask.filter(small), eps, minPts, (mask, e, k) => agrees(mask, e, k)), { numRuns: 500 });
  });

  it('on blobs, boxes and thin lines that touch', () => {
    fc.assert(fc.property(shapesMask(1).filter(small), eps, minPts, (mask, e, k) => agrees(mask, e, k)), { numRuns: 500 });
  });

  it('on border pixels reachable from two clusters', () => {
    fc.assert(fc.property(touchingBlobs, fc.double({ min: 1.2, max: 3.2, noNaN: true }), fc.integer({ min: 3, max: 8 }), (mask, e, k) => agrees(mask, e, k)), { numRuns: 500 });
  });

  it('with eps below 1 and minPts 1 (every pixel alone)', () => {
    fc.assert(
      fc.property(sparseMask.filter(small), fc.double({ min: 0.01, max: 1, noNaN: true }), (mask, e) => {
        agrees(mask, e, 1);
        assert.equal(splitMask(mask, { eps: e, minPts: 1 }).regions.length, count(mask));
        assert.equal(splitMask(mask, { eps: e, minPts: 2 }).noise, count(mask));
      }),
      { numRuns: 60 },
    );
  });

  it('with large eps, up to past the mask diagonal (discs spanning the mask, chains spanning rows)', () => {
    const largeEps = fc.oneof(
      fc.constantFrom(5, 7.5, Math.sqrt(50), 12, 20, 33.3, 48, 68, 1e9, Number.MAX_VALUE),
      fc.double({ min: 4.5, max: 80, noNaN: true }),
    );
    const anyMask = fc.oneof(sparseMask, shapesMask(1), touchingBlobs).filter(small);
    fc.assert(fc.property(anyMask, largeEps, fc.integer({ min: 1, max: 40 }), (mask, e, k) => agrees(mask, e, k)), { numRuns: 300 });
  });

  it('per class on class-id masks', () => {
    fc.assert(fc.property(shapesMask(3).filter(small), eps, minPts, (mask, e, k) => agrees(mask, e, k, true)), { numRuns: 300 });
  });
});

describe('connected components equal DBSCAN with minPts 1', () => {
  const anyMask = fc.oneof(sparseMask, shapesMask(1));
  it('cc8 is DBSCAN with eps 1.5, cc4 is DBSCAN with eps 1.2', () => {
    fc.assert(
      fc.property(anyMask, (mask) => {
        const same = (mode: 'cc4' | 'cc8', e: number) =>
          assert.deepEqual(resultPartition(mask, splitMask(mask, { mode, perClass: false })), resultPartition(mask, splitMask(mask, { mode: 'dbscan', eps: e, minPts: 1, perClass: false })));
        same('cc8', 1.5);
        same('cc4', 1.2);
      }),
      { numRuns: 200 },
    );
  });
});
