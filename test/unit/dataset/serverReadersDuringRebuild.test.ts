// The child server's readers while a rebuild switches the dataset: the mask editor's load, the
// review queue, and a record's preview and prediction, each stopped in the middle of its read
// (ANOMALY_LENS_PAUSE_POINT) while a whole rebuild with another eps switches the dataset and
// removes the masks of the old one, answer for one dataset, the old or the new: never an error
// about a mask that is gone, never a queue with some splits of each.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ServerClient } from '../../../extension/client/client';
import { LoadRegionsRequest, PredictRecordRequest, PreviewRecordRequest, ReviewQueueRequest } from '../../../server/rpc/protocol';
import type { ImageRecord } from '../../../server/dataset/format';
import type { SplitRecords } from '../../../server/dataset/manifest';
import { SPLITS, splitFile } from '../../../server/dataset/manifest';
import { ensureBuilt as ensureServerBuilt, labelsOf, newClient } from '../rpc/fixtures';
import { type BuildJson, buildJson, ensureBuilt, readJsonl } from './cli';
import { withTempDir } from './fixtures';
import { writeBlobSource } from './blobSource';
import { stopped } from './stoppedProcess';

before(() => {
  ensureBuilt();
  ensureServerBuilt();
});

const readRecords = (out: string): SplitRecords => ({
  train: readJsonl<ImageRecord>(join(out, splitFile('train'))),
  val: readJsonl<ImageRecord>(join(out, splitFile('val'))),
  test: readJsonl<ImageRecord>(join(out, splitFile('test'))),
});

/**
 * A dataset of every split built with eps 40 (nearby discs merged into one region), the records
 * it holds, and the rebuild with eps 1.5 (every disc a region of its own: new masks, the old
 * ones removed) that the tests run while a reader is stopped.
 */
async function withRebuiltDataset(fn: (out: string, old: SplitRecords, rebuild: () => BuildJson) => Promise<void>): Promise<void> {
  await withTempDir('server-readers', async (dir) => {
    await writeBlobSource(join(dir, 'a'), 'crack', 6);
    await writeBlobSource(join(dir, 'b'), 'scratch', 6);
    const out = join(dir, 'out');
    const sources = [`${join(dir, 'a')}:train+val`, join(dir, 'b'), '--out', out];
    const built = buildJson([...sources, '--eps', '40']);
    assert.equal(built.code, 0, built.stderr);
    await fn(out, readRecords(out), () => {
      const rebuilt = buildJson([...sources, '--eps', '1.5']);
      assert.equal(rebuilt.code, 0, rebuilt.stderr);
      return rebuilt.result;
    });
  });
}

/** A record of the old dataset with merged discs: a rebuild gives its image other masks and removes these. */
function mergedRecord(old: SplitRecords): ImageRecord {
  const record = old.test.find((r) => r.regions.length > 0 && r.regions.length < 3);
  assert.ok(record, 'a test record whose discs were merged');
  return record;
}

/**
 * Sends `request` to a new child server that stops itself at `point`; while it is stopped there,
 * runs `rebuild`, then lets it go on.  Resolves with the answer (or the error) and the rebuild's result.
 */
async function acrossRebuild<T>(
  t: { after: (fn: () => Promise<void>) => void },
  point: string,
  rebuild: () => BuildJson,
  request: (client: ServerClient) => Promise<T>,
): Promise<{ answer: { value: T } | { error: unknown }; rebuilt: BuildJson }> {
  const client = newClient(t, { env: { ANOMALY_LENS_PAUSE_POINT: point }, defaultTimeoutMs: 0 });
  await client.start();
  const pid = client.pid as number;
  let settled = false;
  const answer = request(client).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  void answer.then(() => (settled = true));
  while (!stopped(pid)) {
    if (settled) assert.fail(`the server answered before it stopped at ${point}: ${JSON.stringify(await answer, (_, v: unknown) => (v instanceof Error ? v.message : v))}`);
    await new Promise((r) => setImmediate(r));
  }
  let rebuilt: BuildJson;
  try {
    rebuilt = rebuild();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  return { answer: await answer, rebuilt };
}

function valueOf<T>(answer: { value: T } | { error: unknown }, what: string): T {
  if ('error' in answer) assert.fail(`${what} failed: ${answer.error instanceof Error ? answer.error.message : String(answer.error)}`);
  return answer.value;
}

/** The number of distinct regions in a label map as the protocol carries it. */
function regionsInLabels(labels: string): number {
  const ids = new Set(labelsOf(labels));
  ids.delete(0);
  return ids.size;
}

test('the mask editor\'s load stopped mid-read while a rebuild switches the dataset and removes its masks gives the record and masks of one dataset', async (t) => {
  await withRebuiltDataset(async (out, old, rebuild) => {
    const record = mergedRecord(old);
    const image = join(out, record.image);
    const { answer } = await acrossRebuild(t, 'regions:read', rebuild, (client) => client.request(LoadRegionsRequest, { image }));
    const loaded = valueOf(answer, 'loading the regions across a rebuild');
    assert.equal(loaded.source.kind, 'dataset');
    const source = loaded.source as Extract<typeof loaded.source, { kind: 'dataset' }>;
    const now = readRecords(out).test.find((r) => r.image === record.image) as ImageRecord;
    assert.notDeepEqual(now.regions.map((r) => r.mask), record.regions.map((r) => r.mask), 'the rebuild gave the image other masks');
    assert.deepEqual(source.record, now, 'the record of the dataset in place (the old one\'s masks are gone)');
    assert.equal(regionsInLabels(loaded.labels), now.regions.length, 'every region of that record, read from its masks');
    assert.equal(loaded.regions.length, now.regions.length);
  });
});

test('the review queue stopped after its first split while a rebuild switches the dataset reviews every split of one dataset', async (t) => {
  await withRebuiltDataset(async (out, old, rebuild) => {
    const regionsOf = (records: SplitRecords) => SPLITS.reduce((n, s) => n + records[s].reduce((k, r) => k + r.regions.length, 0), 0);
    const { answer } = await acrossRebuild(t, 'review:split', rebuild, (client) => client.request(ReviewQueueRequest, { dataset: out, jobId: 'review-across-rebuild' }));
    const queue = valueOf(answer, 'the review across a rebuild');
    const now = readRecords(out);
    assert.ok(SPLITS.every((s) => old[s].length > 0), 'every split holds records');
    assert.notEqual(regionsOf(now), regionsOf(old));
    const version = queue.regions === regionsOf(now) ? now : old;
    assert.equal(queue.regions, regionsOf(version), `the queue covers the ${regionsOf(old)} regions of the old dataset or the ${regionsOf(now)} of the new one`);
    for (const item of queue.items) {
      const record = version[item.split].find((r) => r.image === item.record);
      assert.equal(record?.regions[item.region]?.mask, item.mask, `${item.split} ${item.record} region ${item.region} is of the same dataset`);
    }
  });
});

test('a record\'s preview stopped mid-read while a rebuild switches the dataset draws every region of the record, from masks the rebuild kept for it', async (t) => {
  await withRebuiltDataset(async (out, old, rebuild) => {
    const record = mergedRecord(old);
    const files = { file: join(out, 'test.jsonl'), image: record.image, masks: record.regions.map((r) => r.mask) };
    const { answer, rebuilt } = await acrossRebuild(t, 'record:read', rebuild, (client) => client.request(PreviewRecordRequest, files));
    const preview = valueOf(answer, 'the preview across a rebuild');
    assert.deepEqual(preview.masks, files.masks.map((m) => join(out, m)), 'no mask of the record is missing');
    assert.ok(rebuilt.problems.some((p) => /kept while 1 reader\(s\) use it \(anomaly-lens record preview/.test(p.message)), JSON.stringify(rebuilt.problems));
  });
});

test('a record\'s prediction stopped mid-read while a rebuild switches the dataset ranks every region of the record', async (t) => {
  await withRebuiltDataset(async (out, old, rebuild) => {
    const record = mergedRecord(old);
    const files = { file: join(out, 'test.jsonl'), image: record.image, masks: record.regions.map((r) => r.mask) };
    const { answer } = await acrossRebuild(t, 'record:read', rebuild, (client) => client.request(PredictRecordRequest, files));
    const predicted = valueOf(answer, 'the prediction across a rebuild');
    assert.equal(predicted.regions.length, record.regions.length);
    predicted.regions.forEach((r, i) => assert.ok(r && 'ranking' in r && r.ranking.length > 0, `region ${i}: ${JSON.stringify(r)}`));
  });
});
