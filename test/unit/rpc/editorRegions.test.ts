// anomalyLens/loadRegions and anomalyLens/saveRegions over stdio: the mask editor reads a built
// dataset image's regions as a label map, changes them, and saves them back into a dataset that
// still validates.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JobsRequest, LoadRegionsRequest, RelabelRegionRequest, ReviewQueueRequest, SaveRegionsRequest } from '../../../server/rpc/protocol';
import { buildJson, readJsonl, runCli } from '../dataset/cli';
import { withTempDir } from '../dataset/fixtures';
import { writeBlobSource } from '../dataset/blobSource';
import type { ImageRecord } from '../../../server/dataset/format';
import { ensureBuilt, labelsOf, newClient, textOf } from './fixtures';

describe('the mask editor\'s files through the server', () => {
  it('loads a record\'s regions, saves one region fewer, and the dataset validates with the new record', async (t) => {
    ensureBuilt();
    await withTempDir('rpc-editor', async (dir) => {
      const src = join(dir, 'src');
      const out = join(dir, 'out');
      await writeBlobSource(src, 'crack', 2);
      assert.equal(buildJson([src, '--out', out]).code, 0);
      const [record] = readJsonl<ImageRecord>(join(out, 'test.jsonl'));
      const client = newClient(t);
      const image = join(out, record.image);
      const loaded = await client.request(LoadRegionsRequest, { image });
      assert.equal(loaded.source.kind, 'dataset');
      assert.equal(loaded.regions.length, record.regions.length);
      const labels = labelsOf(loaded.labels);
      assert.equal(labels.length, loaded.width * loaded.height);
      assert.deepEqual(loaded.regions.map((r) => labels.filter((v) => v === r.id).length), record.regions.map((r) => r.area));

      const dropped = loaded.regions[0].id;
      const edited = labels.map((v) => (v === dropped ? 0 : v));
      const saved = await client.request(SaveRegionsRequest, { ...loaded, labels: textOf(edited), regions: loaded.regions.slice(1) });
      assert.equal(saved.files.length, record.regions.length - 1);
      const updated = readJsonl<ImageRecord>(join(out, 'test.jsonl')).find((r) => r.image === record.image) as ImageRecord;
      assert.deepEqual(updated.regions.map((r) => r.area), record.regions.slice(1).map((r) => r.area));
      assert.equal(runCli(['validate', out]).code, 0);

      await assert.rejects(client.request(SaveRegionsRequest, { ...loaded, labels: textOf(new Uint16Array(3)) }), /label map holds 3 values/);

      // The review queue runs as a job over every region; relabelling a region keeps the dataset valid.
      const queue = await client.request(ReviewQueueRequest, { dataset: out, splits: ['test'], jobId: 'review-1' });
      const total = readJsonl<ImageRecord>(join(out, 'test.jsonl')).reduce((n, r) => n + r.regions.length, 0);
      assert.equal(queue.regions, total);
      assert.ok((await client.request(JobsRequest)).some((j) => j.id === 'review-1' && j.kind === 'review' && j.state === 'finished'));
      await client.request(RelabelRegionRequest, { image, region: 0, description: 'hairline crack in part' });
      const relabelled = readJsonl<ImageRecord>(join(out, 'test.jsonl')).find((r) => r.image === record.image) as ImageRecord;
      assert.equal(relabelled.regions[0].description, 'hairline crack in part');
      assert.equal(runCli(['validate', out]).code, 0);
    });
  });
});
