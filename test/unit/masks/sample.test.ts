// Region splitting on the real sample masks, against the connected components in STATS.md.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readMask } from '../../../server/image/mask';
import { splitMask } from '../../../server/masks/split';
import { libraryPartition, resultPartition } from './oracle';
import { SAMPLE, readSampleStats } from './sample';

const stats = readSampleStats();

describe('sample masks (STATS.md)', () => {
  it('lists every mask of the sample', () => {
    assert.equal(stats.length, 25);
  });

  for (const row of stats) {
    it(`${row.mask}: cc8 and DBSCAN (eps 1.5, minPts 1) give the ${row.components} component(s) of STATS.md`, async () => {
      const { mask, distinctValues } = await readMask(join(SAMPLE, row.mask));
      assert.deepEqual([mask.width, mask.height], [row.width, row.height]);
      assert.deepEqual(distinctValues, row.values);
      assert.equal(mask.values.reduce((n, v) => n + v, 0), row.anomalyPixels);

      const cc8 = splitMask(mask, { mode: 'cc8', perClass: false });
      assert.deepEqual(cc8.regions.map((r) => r.area).sort((a, b) => b - a), row.sizes);

      const dbscan = splitMask(mask, { mode: 'dbscan', eps: 1.5, minPts: 1, perClass: false });
      assert.equal(dbscan.noise, 0);
      assert.deepEqual(
        dbscan.regions.map((r) => Array.from(r.pixels)),
        cc8.regions.map((r) => Array.from(r.pixels)),
      );
      assert.deepEqual(dbscan.regions.map((r) => r.bbox), cc8.regions.map((r) => r.bbox));
    });
  }

  const tires = stats.filter((row) => row.mask.startsWith('tire/'));

  it('tire masks read with class ids split per class and keep the class of every pixel', async () => {
    for (const row of tires) {
      const { mask, distinctValues } = await readMask(join(SAMPLE, row.mask), { classIds: true });
      assert.deepEqual(distinctValues, row.values);
      const result = splitMask(mask, { mode: 'dbscan', eps: 1.5, minPts: 1, perClass: true });
      assert.deepEqual([...new Set(result.regions.map((r) => r.classId))].sort(), row.values.filter((v) => v !== 0));
      for (const region of result.regions) for (const i of region.pixels) assert.equal(mask.values[i], region.classId);
      assert.equal(result.regions.reduce((n, r) => n + r.area, 0), row.anomalyPixels);
    }
  });

  it('tire masks split exactly as density-clustering splits them, for several eps and minPts', async () => {
    for (const row of tires) {
      const { mask } = await readMask(join(SAMPLE, row.mask), { classIds: true });
      for (const [eps, minPts] of [[1.5, 1], [3, 6], [5, 30]]) {
        const result = splitMask(mask, { mode: 'dbscan', eps, minPts, perClass: true });
        assert.deepEqual(resultPartition(mask, result), libraryPartition(mask, eps, minPts, true), `${row.mask} eps ${eps} minPts ${minPts}`);
      }
    }
  });
});
