// An eps past the mask's diagonal reaches every pixel from every other: it is the same as
// eps just past the diagonal, and a full mask is one region.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitMask } from '../../../server/masks/split';
import type { LabelMask } from '../../../server/masks/types';
import { resultPartition } from './oracle';

function white(width: number, height: number): LabelMask {
  return { width, height, values: new Uint16Array(width * height).fill(1) };
}

/** Pixels on a coarse lattice (every `step`-th column and row), with a few pixels removed. */
function lattice(width: number, height: number, step: number): LabelMask {
  const values = new Uint16Array(width * height);
  for (let y = 0; y < height; y += step) for (let x = 0; x < width; x += step) if ((x * 7 + y * 13) % 11 !== 0) values[y * width + x] = 1;
  return { width, height, values };
}

describe('DBSCAN with eps larger than the mask', () => {
  it('gives one region on a white mask, for eps 1e9 as for eps just past the diagonal', () => {
    const mask = white(300, 200);
    const diagonal = Math.hypot(299, 199);
    for (const minPts of [1, 5, 60_000]) {
      const huge = splitMask(mask, { eps: 1e9, minPts });
      assert.equal(huge.regions.length, 1, `minPts ${minPts}`);
      assert.equal(huge.regions[0].area, 60_000);
      assert.deepEqual(huge.regions[0].bbox, [0, 0, 300, 200]);
      assert.deepEqual(resultPartition(mask, huge), resultPartition(mask, splitMask(mask, { eps: diagonal + 1e-9, minPts })));
    }
    const tooMany = splitMask(mask, { eps: 1e9, minPts: 60_001 });
    assert.deepEqual([tooMany.regions.length, tooMany.noise], [0, 60_000]);
  });

  it('partitions a sparse lattice the same for eps 1e9, Infinity and just past the diagonal', () => {
    const mask = lattice(120, 90, 9);
    const diagonal = Math.hypot(119, 89);
    for (const minPts of [1, 3, 90, 200]) {
      const reference = resultPartition(mask, splitMask(mask, { eps: diagonal + 1e-9, minPts }));
      assert.deepEqual(resultPartition(mask, splitMask(mask, { eps: 1e9, minPts })), reference, `minPts ${minPts}`);
      assert.deepEqual(resultPartition(mask, splitMask(mask, { eps: Number.POSITIVE_INFINITY, minPts })), reference, `minPts ${minPts}`);
    }
  });
});
