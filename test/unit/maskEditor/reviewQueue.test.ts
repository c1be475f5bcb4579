// The review queue: on the sample dataset the default bundle's disagreements with the labels,
// most confident first; the same answer comes from the cache until the dataset changes.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJson, ensureBuilt, readJsonl, repoRoot, runCli } from '../dataset/cli';
import { withTempDir } from '../dataset/fixtures';
import { reviewQueue } from '../../../server/editor/reviewQueue';
import { relabelRegion } from '../../../server/editor/relabel';
import { findRegionsSource } from '../../../server/editor/imageRegions';
import { StaleVersionError, versionOf } from '../../../server/editor/regionsVersion';
import type { ImageRecord } from '../../../server/dataset/format';

before(ensureBuilt);

describe('review queue', () => {
  it('lists every disagreement of the default bundle with the labels, most confident first, cached per bundle', { timeout: 180_000 }, async () => {
    await withTempDir('review', async (dir) => {
      const sample = join(dir, 'sample');
      assert.equal(runCli(['sample', sample, '--scale', '0.1']).code, 0);
      const out = join(dir, 'ds');
      assert.equal(buildJson([join(sample, 'mvtec'), '--out', out]).code, 0);
      const bundle = join(repoRoot, 'media', 'default-model');
      const { uncertainBelow } = (JSON.parse(readFileSync(join(bundle, 'bundle.json'), 'utf8')) as { calibration: { uncertainBelow: number } }).calibration;

      const queue = await reviewQueue({ dataset: out, bundle, splits: ['test'] });
      assert.equal(queue.cached, false);
      const records = readJsonl<ImageRecord>(join(out, 'test.jsonl'));
      assert.equal(queue.regions, records.reduce((n, r) => n + r.regions.length, 0));
      assert.ok(queue.items.length > 0 && queue.items.length < queue.regions, `${queue.items.length} of ${queue.regions} regions disagree`);
      for (const item of queue.items) {
        const record = records.find((r) => r.image === item.record) as ImageRecord;
        assert.equal(item.truth, record.regions[item.region].description);
        assert.notEqual(item.model[0].text, item.truth, 'only disagreements');
        assert.equal(item.confidence, item.model[0].probability);
        assert.equal(item.uncertain, item.confidence < uncertainBelow, 'an answer below the bundle\'s calibrated threshold is marked uncertain');
      }
      assert.deepEqual(queue.items.map((i) => i.confidence), [...queue.items.map((i) => i.confidence)].sort((a, b) => b - a));

      const again = await reviewQueue({ dataset: out, bundle, splits: ['test'] });
      assert.equal(again.cached, true);
      assert.deepEqual(again.items, queue.items);

      // Each item names the version of its image's regions, the one the mask editor reads.
      const first = queue.items[0];
      assert.equal(first.version, await versionOf(await findRegionsSource(first.image)));

      // Taking the model's answer for the first item changes the dataset: the queue is computed again without it.
      const relabelled = await relabelRegion(first.image, first.region, first.model[0].text, first.version);
      assert.equal(relabelled, await versionOf(await findRegionsSource(first.image)));
      // The same item taken again from the old queue: refused, its region has moved on.
      await assert.rejects(relabelRegion(first.image, first.region, 'a dent', first.version), StaleVersionError);
      assert.equal(runCli(['validate', out]).code, 0, 'the relabelled dataset is valid');
      const record = readJsonl<ImageRecord>(join(out, 'test.jsonl')).find((r) => r.image === first.record) as ImageRecord;
      assert.equal(record.regions[first.region].description, first.model[0].text);
      const after = await reviewQueue({ dataset: out, bundle, splits: ['test'] });
      assert.equal(after.cached, false);
      assert.ok(!after.items.some((i) => i.record === first.record && i.region === first.region && i.truth === first.truth));
    });
  });

  it('reports one progress over every split: one total, the count never going back, ending at the total', { timeout: 180_000 }, async () => {
    await withTempDir('review-progress', async (dir) => {
      const sample = join(dir, 'sample');
      assert.equal(runCli(['sample', sample, '--scale', '0.05']).code, 0);
      const out = join(dir, 'ds');
      // The synthetic part feeds train and val, the MVTec part test: regions in every split.
      assert.equal(buildJson([join(sample, 'synthetic'), join(sample, 'mvtec'), '--out', out]).code, 0);
      const starts: number[] = [];
      const done: number[] = [];
      let count = 0;
      const queue = await reviewQueue({
        dataset: out,
        bundle: join(repoRoot, 'media', 'default-model'),
        progress: {
          start: (total) => {
            starts.push(total);
            count = 0;
            done.push(count);
          },
          tick: (n = 1) => done.push((count += n)),
          stop: () => undefined,
        },
      });
      const splits = ['train', 'val', 'test'].filter((s) => readJsonl<ImageRecord>(join(out, `${s}.jsonl`)).some((r) => r.regions.length > 0));
      assert.equal(splits.length, 3, 'regions in every split');
      assert.deepEqual(starts, [queue.regions], 'started once, with every split\'s regions');
      for (let i = 1; i < done.length; i++) assert.ok(done[i] >= done[i - 1], `the count went back from ${done[i - 1]} to ${done[i]}`);
      assert.equal(done[done.length - 1], queue.regions);
    });
  });
});
