// A dataset's statistics through the child server: the full statistics refuse a dataset with a
// bad split-file line, the partial ones (Show Dataset Statistics) count the records that can be
// read and name the lines that cannot, with the same tables as the builder's.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ServerRequestError } from '../../../extension/client/errors';
import { computeStats, statsMarkdown } from '../../../server/dataset/stats';
import { DatasetStatsRequest } from '../../../server/rpc/protocol';
import { FIXTURE_DATASETS, manifestOf, writeDataset } from '../../e2e/fixture';
import { ensureBuilt, newClient } from './fixtures';

const screws = FIXTURE_DATASETS[0];

function screwsDataset(t: { after: (fn: () => void) => void }): string {
  const workspace = mkdtempSync(join(tmpdir(), 'al-rpc-stats-'));
  t.after(() => rmSync(workspace, { recursive: true, force: true }));
  writeDataset(workspace, screws);
  return join(workspace, screws.folder);
}

describe('anomalyLens/datasetStats', () => {
  before(() => ensureBuilt());

  it('partial: the tables of the readable records and each unreadable line, where the full statistics refuse the dataset', async (t) => {
    const client = newClient(t);
    const dataset = screwsDataset(t);
    appendFileSync(join(dataset, 'test.jsonl'), 'broken\n{"image": 3}\n');
    await assert.rejects(client.request(DatasetStatsRequest, { dataset }), (err: unknown) => {
      assert.ok(err instanceof ServerRequestError && err.kind === 'user', String(err));
      assert.match(err.message, /test\.jsonl/);
      return true;
    });
    const partial = await client.request(DatasetStatsRequest, { dataset, partial: true });
    assert.equal(partial.dataset, dataset);
    assert.deepEqual(partial.counts, manifestOf(screws).counts);
    const stats = computeStats(screws.records, manifestOf(screws).goodImages);
    assert.deepEqual(partial.stats, stats);
    assert.equal(partial.markdown, statsMarkdown(stats));
    assert.deepEqual(partial.warnings, []);
    const lines = screws.records.test.length;
    assert.equal(partial.unreadable?.train.length, 0);
    assert.equal(partial.unreadable?.val.length, 0);
    assert.equal(partial.unreadable?.test.length, 2);
    assert.match(partial.unreadable?.test[0] ?? '', new RegExp(`^line ${lines + 1}: not valid JSON`));
    assert.match(partial.unreadable?.test[1] ?? '', new RegExp(`^line ${lines + 2}: `));
  });

  it('partial: a missing split file is one unreadable line and its records are left out', async (t) => {
    const client = newClient(t);
    const dataset = screwsDataset(t);
    unlinkSync(join(dataset, 'val.jsonl'));
    const partial = await client.request(DatasetStatsRequest, { dataset, partial: true });
    assert.deepEqual(partial.unreadable, { train: [], val: ['file is missing'], test: [] });
    assert.deepEqual(partial.stats, computeStats({ ...screws.records, val: [] }, manifestOf(screws).goodImages));
  });

  it('partial: a dataset.json that cannot be read is refused, naming it', async (t) => {
    const client = newClient(t);
    const dataset = screwsDataset(t);
    appendFileSync(join(dataset, 'dataset.json'), '}');
    await assert.rejects(client.request(DatasetStatsRequest, { dataset, partial: true }), (err: unknown) => {
      assert.ok(err instanceof ServerRequestError && err.kind === 'user', String(err));
      assert.equal(err.file, join(dataset, 'dataset.json'));
      return true;
    });
  });

  it('refuses a partial that is not a boolean', async (t) => {
    const client = newClient(t);
    await assert.rejects(client.request(DatasetStatsRequest, { dataset: screwsDataset(t), partial: 'yes' as unknown as boolean }), (err: unknown) => {
      assert.ok(err instanceof ServerRequestError && err.kind === 'invalid-params', String(err));
      return true;
    });
  });
});
