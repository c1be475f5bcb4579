// The detector's pure pieces against plain references: exact nearest-neighbour distances, the
// k-center greedy coreset, the threshold at a false-positive rate, patches and the map.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kCenterGreedy, seededRandom } from '../../../server/detect/coreset';
import { extractPatches, patchStarts } from '../../../server/detect/features';
import { nearestDistances } from '../../../server/detect/nearest';
import { gaussianSmooth, patchScoresToMap } from '../../../server/detect/scoreMap';
import { fractionAbove, thresholdAtFpr } from '../../../server/detect/threshold';

function randomRows(count: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count * dim }, () => random() * 2 - 1);
}

describe('detector engine', () => {
  it('nearest distances equal a direct search over every bank row, four queries at a time and the rest one by one', () => {
    const dim = 27;
    const queries = randomRows(43, dim, 1);
    const bank = randomRows(55, dim, 2);
    const got = nearestDistances(queries, 43, bank, 55, dim);
    for (let q = 0; q < 43; q++) {
      let best = Infinity;
      for (let b = 0; b < 55; b++) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += (queries[q * dim + d] - bank[b * dim + d]) ** 2;
        best = Math.min(best, Math.sqrt(s));
      }
      assert.ok(Math.abs(got[q] - best) < 1e-4, `query ${q}: ${got[q]} vs ${best}`);
    }
  });

  it('k-center greedy is deterministic for a seed, picks distinct rows, and takes the far outlier early', () => {
    const dim = 4;
    const rows = randomRows(200, dim, 3);
    rows.set([50, 50, 50, 50], 123 * dim);
    const a = kCenterGreedy(rows, 200, dim, 20, 9);
    assert.deepEqual(a, kCenterGreedy(rows, 200, dim, 20, 9));
    assert.equal(new Set(a).size, 20);
    assert.ok([...a.slice(0, 2)].includes(123));
  });

  it('the threshold lets at most the stated fraction of values above it', () => {
    const values = Float32Array.from({ length: 10000 }, (_, i) => i);
    const t = thresholdAtFpr(values, 0.001);
    assert.equal(t, 9989);
    assert.equal(fractionAbove(values, t), 0.001);
  });

  it('patches cover the image to its edge, and the map averages the patches over each pixel', () => {
    assert.deepEqual(patchStarts(10, 4, 3), [0, 3, 6]);
    assert.deepEqual(patchStarts(11, 4, 3), [0, 3, 6, 7]);
    const image = { width: 6, height: 6, channels: 1, data: Float32Array.from({ length: 36 }, (_, i) => i / 36) };
    const grid = extractPatches(image, { patch: 4, stride: 2, downsample: 1 }, 'none');
    assert.equal(grid.count, 4);
    assert.deepEqual([...grid.features.subarray(0, 4)].map((v) => Math.round(v * 36)), [0, 1, 2, 3]);
    const map = patchScoresToMap(6, 6, Float32Array.from([1, 2, 3, 4]), grid.xs, grid.ys, grid.side);
    assert.equal(map[0], 1);
    assert.equal(map[2 * 6 + 2], 2.5);
    const smooth = gaussianSmooth(new Float32Array(36).fill(3), 6, 6, 1.5);
    assert.ok(smooth.every((v) => Math.abs(v - 3) < 1e-5));
  });
});
