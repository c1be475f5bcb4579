// The job tracker against the built child server over stdio (npm run build first).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ServerClient } from '../../../extension/client/client';
import { JobTracker } from '../../../extension/jobProgress/tracker';
import { BuildDatasetRequest, CreateSampleRequest, TrainRequest, type JobInfo, type TrainEvent } from '../../../server/rpc/protocol';

const SERVER = join(__dirname, '..', '..', '..', 'dist', 'server.js');
let dir: string;
let client: ServerClient;
let tracker: JobTracker;
let sample: { synthetic: string; mvtec: string } | undefined;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'al-tracker-'));
  client = new ServerClient({ serverScript: SERVER, env: { ANOMALY_LENS_STATE_DIR: join(dir, 'state') }, cwd: dir });
  tracker = new JobTracker(client);
});

after(async () => {
  tracker.dispose();
  await client.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('a job is known from its first moment, follows the server to its end and is in the server list', { skip: !existsSync(SERVER) }, async () => {
  const states: string[] = [];
  const progress: number[] = [];
  const seen = tracker.onDidChangeJob((j) => states.push(j.state));
  const out = join(dir, 'sample');
  const started = tracker.start(CreateSampleRequest, { out, scale: 0.2 }, { kind: 'createSample', title: 'sample', output: out });
  const p = tracker.onProgress(({ jobId, progress: x }) => {
    if (jobId === started.id) progress.push(x.done);
  });
  assert.equal(tracker.get(started.id)?.state, 'queued');
  assert.deepEqual(tracker.active().map((j) => j.id), [started.id]);
  const result = await started.result;
  sample = result;
  seen.dispose();
  p.dispose();
  assert.ok(existsSync(result.mvtec) && existsSync(result.synthetic));
  assert.equal(tracker.get(started.id)?.state, 'finished');
  assert.ok(states.includes('running'), `states ${states.join(' ')}`);
  assert.ok(progress.length > 0, 'progress reached the tracker by the job id');
  const listed = (await tracker.refresh()).find((j: JobInfo) => j.id === started.id);
  assert.equal(listed?.state, 'finished', 'the server knows the job by the id the extension chose');
  assert.equal(listed?.kind, 'createSample');
  assert.deepEqual(tracker.active(), []);
});

test('cancelling a job by its id ends it as cancelled', { skip: !existsSync(SERVER) }, async () => {
  assert.ok(sample, 'the sample of the first test');
  const out = join(dir, 'built');
  const started = tracker.start(BuildDatasetRequest, { sources: [{ root: sample.synthetic }, { root: sample.mvtec }], out, workers: 0 }, { kind: 'buildDataset', title: 'build', output: out });
  await tracker.cancel(started.id);
  const result = await started.result.catch((e: Error) => e);
  const job = tracker.get(started.id);
  assert.equal(job?.state, 'cancelled', `result ${JSON.stringify(result)}`);
});

test('a failed job carries the server error with its kind', { skip: !existsSync(SERVER) }, async () => {
  const started = tracker.start(BuildDatasetRequest, { sources: [{ root: join(dir, 'no-such-source') }], out: join(dir, 'never') }, { kind: 'buildDataset', title: 'build' });
  await assert.rejects(started.result);
  const job = tracker.get(started.id);
  assert.equal(job?.state, 'failed');
  assert.equal(job?.error?.kind, 'user');
  assert.match(job?.error?.message ?? '', /no-such-source/);
  assert.ok(!existsSync(join(dir, 'never')));
});

test("a training job's events reach the tracker under its job id", { skip: !existsSync(SERVER) }, async () => {
  assert.ok(sample, 'the sample of the first test');
  const dataset = join(dir, 'dataset');
  await tracker.start(BuildDatasetRequest, { sources: [{ root: sample.synthetic }, { root: sample.mvtec }], out: dataset }, { kind: 'buildDataset', title: 'build', output: dataset }).result;
  const run = join(dir, 'run');
  const events: { jobId: string; event: TrainEvent }[] = [];
  const seen = tracker.onTrainEvent((e) => events.push(e));
  const started = tracker.start(TrainRequest, { dataset, out: run, options: { base: 'tiny', epochs: 1, maxSteps: 3, batch: 8, device: 'cpu', export: false } }, { kind: 'train', title: 'train', output: run, gpu: true });
  const result = await started.result;
  seen.dispose();
  assert.equal(result.kind, 'done');
  assert.ok(events.length > 0 && events.every((e) => e.jobId === started.id));
  assert.ok(events.some((e) => e.event.type === 'step'), events.map((e) => e.event.type).join(' '));
  assert.equal(tracker.get(started.id)?.state, 'finished');
  assert.ok(tracker.get(started.id)?.lastEvent, 'the job keeps its last train event for the Runs view');
});
