import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitMask } from '../../../server/masks/split';
import { discRows } from '../../../server/masks/disc';
import type { LabelMask } from '../../../server/masks/types';
import { libraryPartition, maskFromText, resultPartition } from './oracle';

const summary = (mask: LabelMask, options: Parameters<typeof splitMask>[1]) =>
  splitMask(mask, options).regions.map((r) => ({ area: r.area, bbox: r.bbox, classId: r.classId }));

describe('splitMask', () => {
  const twoBlobs = maskFromText(`
    ##.......
    ##.....#.
    .......##
    ...#.....
  `);

  it('reports area, bbox and ascending pixels, regions in row-major order of their first pixel', () => {
    const result = splitMask(twoBlobs, { mode: 'dbscan', eps: 1.5, minPts: 1, perClass: false });
    assert.deepEqual(
      result.regions.map((r) => ({ pixels: Array.from(r.pixels), area: r.area, bbox: r.bbox })),
      [
        { pixels: [0, 1, 9, 10], area: 4, bbox: [0, 0, 2, 2] },
        { pixels: [16, 25, 26], area: 3, bbox: [7, 1, 2, 2] },
        { pixels: [30], area: 1, bbox: [3, 3, 1, 1] },
      ],
    );
    assert.equal(result.noise, 0);
    assert.equal(result.dropped, 0);
    assert.equal(result.width, 9);
    assert.equal(result.height, 4);
  });

  it('joins regions closer than eps and leaves sparse pixels as noise with a higher minPts', () => {
    assert.equal(splitMask(twoBlobs, { eps: 2.5, minPts: 1 }).regions.length, 3);
    assert.equal(splitMask(twoBlobs, { eps: 3, minPts: 1 }).regions.length, 2);
    const dense = splitMask(twoBlobs, { eps: 1.5, minPts: 4 });
    assert.deepEqual(dense.regions.map((r) => r.area), [4]);
    assert.equal(dense.noise, 4);
  });

  it('drops regions below minArea and counts them', () => {
    const result = splitMask(twoBlobs, { eps: 1.5, minPts: 1, minArea: 3 });
    assert.deepEqual(result.regions.map((r) => r.area), [4, 3]);
    assert.equal(result.dropped, 1);
  });

  it('makes every pixel its own region when eps is 1 or less (minPts 1), and all noise for minPts 2', () => {
    for (const eps of [0.2, 0.999, 1]) {
      assert.equal(splitMask(twoBlobs, { eps, minPts: 1 }).regions.length, 8);
      const none = splitMask(twoBlobs, { eps, minPts: 2 });
      assert.equal(none.regions.length, 0);
      assert.equal(none.noise, 8);
    }
  });

  it('treats distance eps exactly as the library: sqrt(2) does not reach a diagonal neighbour', () => {
    const diagonal = maskFromText(`
      #.
      .#
    `);
    assert.equal(splitMask(diagonal, { eps: Math.SQRT2, minPts: 1 }).regions.length, 2);
    assert.equal(splitMask(diagonal, { eps: Math.SQRT2 + 1e-12, minPts: 1 }).regions.length, 1);
    assert.deepEqual(resultPartition(diagonal, splitMask(diagonal, { eps: Math.SQRT2, minPts: 1 })), libraryPartition(diagonal, Math.SQRT2, 1));
  });

  it('gives a border pixel within reach of two clusters to the first one, as the library does', () => {
    // The middle pixel of row 1 (7 pixels within 2.5) is within reach of core pixels of both
    // blocks but is not core itself.
    const mask = maskFromText(`
      ###...###
      ###.#.###
      ###...###
    `);
    const result = splitMask(mask, { eps: 2.5, minPts: 8, perClass: false });
    assert.deepEqual(result.regions.map((r) => r.area), [10, 9]);
    assert.ok(Array.from(result.regions[0].pixels).includes(13));
    assert.deepEqual(resultPartition(mask, result), libraryPartition(mask, 2.5, 8));
  });

  it('handles eps larger than the mask (one cluster when minPts allows, else all noise)', () => {
    for (const eps of [50, 1e6, Number.MAX_VALUE]) {
      const all = splitMask(twoBlobs, { eps, minPts: 8 });
      assert.deepEqual(all.regions.map((r) => r.area), [8]);
      assert.deepEqual(resultPartition(twoBlobs, all), libraryPartition(twoBlobs, eps, 8));
      assert.equal(splitMask(twoBlobs, { eps, minPts: 9 }).noise, 8);
    }
  });

  it('agrees with the library on single rows and columns, where the disc is cut by the mask', () => {
    const row = maskFromText('##.###.#.####');
    const column = { width: 1, height: row.width, values: row.values };
    for (const mask of [row, column]) {
      for (const [eps, minPts] of [[2.5, 3], [3, 4], [4.5, 6], [7, 5]]) {
        assert.deepEqual(resultPartition(mask, splitMask(mask, { eps, minPts })), libraryPartition(mask, eps, minPts), `${mask.width}x${mask.height} eps ${eps} minPts ${minPts}`);
      }
    }
  });

  it('agrees with the library at large eps on a mask wider than the disc', () => {
    const values = new Uint16Array(120 * 30);
    for (let i = 0; i < values.length; i += 7) values[i] = 1;
    const mask = { width: 120, height: 30, values };
    for (const [eps, minPts] of [[9.5, 12], [17, 40], [40, 200]]) {
      assert.deepEqual(resultPartition(mask, splitMask(mask, { eps, minPts })), libraryPartition(mask, eps, minPts));
    }
  });

  it('splits each class separately and keeps its id, or merges classes when perClass is off', () => {
    const classes = maskFromText(`
      1122..
      1122..
      ....33
    `);
    assert.deepEqual(summary(classes, { perClass: true }), [
      { area: 4, bbox: [0, 0, 2, 2], classId: 1 },
      { area: 4, bbox: [2, 0, 2, 2], classId: 2 },
      { area: 2, bbox: [4, 2, 2, 1], classId: 3 },
    ]);
    assert.deepEqual(summary(classes, { perClass: false }), [{ area: 10, bbox: [0, 0, 6, 3], classId: undefined }]);
    assert.deepEqual(resultPartition(classes, splitMask(classes, { perClass: true, eps: 1.5, minPts: 2 })), libraryPartition(classes, 1.5, 2, true));
  });

  it('finds every non-zero value, whatever its bit pattern and wherever the values lie in memory', () => {
    // 0x8000 alone in the fourth of four values reads as -0 when four values are read as one float64.
    for (const at of [0, 1, 2, 3, 7, 10]) {
      const buffer = new ArrayBuffer(2 * 13);
      for (const offset of [0, 2]) {
        const values = new Uint16Array(buffer, offset, 11).fill(0);
        values[at] = 0x8000;
        const result = splitMask({ width: 11, height: 1, values }, { perClass: true });
        assert.deepEqual(result.regions.map((r) => [Array.from(r.pixels), r.classId]), [[[at], 0x8000]], `at ${at}, byte offset ${offset}`);
      }
    }
  });

  it('separates 4- and 8-connected components', () => {
    const diagonal = maskFromText(`
      #..#
      .#.#
      ..#.
    `);
    assert.deepEqual(summary(diagonal, { mode: 'cc8' }).map((r) => r.area), [5]);
    assert.deepEqual(summary(diagonal, { mode: 'cc4' }).map((r) => r.area), [1, 2, 1, 1]);
  });

  it('returns no region for an empty mask and a full region for a full one', () => {
    const empty = { width: 5, height: 4, values: new Uint16Array(20) };
    assert.deepEqual(splitMask(empty), { width: 5, height: 4, regions: [], noise: 0, dropped: 0 });
    const full = { width: 5, height: 4, values: new Uint16Array(20).fill(1) };
    for (const mode of ['dbscan', 'cc4', 'cc8'] as const) assert.deepEqual(summary(full, { mode }).map((r) => r.bbox), [[0, 0, 5, 4]]);
  });

  it('rejects invalid options and a mask whose size does not match its values', () => {
    assert.throws(() => splitMask(twoBlobs, { eps: 0 }), /eps must be a positive number/);
    assert.throws(() => splitMask(twoBlobs, { eps: Number.NaN }), /eps must be a positive number/);
    assert.throws(() => splitMask(twoBlobs, { minPts: 0 }), /minPts must be an integer of at least 1/);
    assert.throws(() => splitMask(twoBlobs, { minPts: 2.5 }), /minPts must be an integer/);
    assert.throws(() => splitMask(twoBlobs, { minArea: -1 }), /minArea/);
    assert.throws(() => splitMask(twoBlobs, { mode: 'watershed' as never }), /split mode must be one of dbscan, cc4, cc8/);
    assert.throws(() => splitMask({ width: 3, height: 3, values: new Uint16Array(8) }), /8 values for 3x3 pixels/);
  });
});

describe('discRows', () => {
  it('lists the half-width of each disc row with the strict comparison', () => {
    assert.deepEqual(Array.from(discRows(0.5, 10, 10)), [0]);
    assert.deepEqual(Array.from(discRows(1, 10, 10)), [0]);
    assert.deepEqual(Array.from(discRows(1.5, 10, 10)), [1, 1]);
    assert.deepEqual(Array.from(discRows(Math.SQRT2, 10, 10)), [1, 0]);
    assert.deepEqual(Array.from(discRows(3, 10, 10)), [2, 2, 2]);
    assert.deepEqual(Array.from(discRows(Math.sqrt(5) + 1e-9, 10, 10)), [2, 2, 1]);
  });

  it('caps rows and widths at the grid', () => {
    assert.deepEqual(Array.from(discRows(1e9, 4, 3)), [3, 3, 3]);
    assert.deepEqual(Array.from(discRows(Infinity, 2, 2)), [1, 1]);
  });
});
