// The job methods of the built server over stdio, with the real Python trainer (tiny model on
// CPU) and the embedded default bundle: every long request is a job in `jobs`, its changes are
// told, it can be cancelled by id, and a server that was killed has its jobs reported failed
// by the next one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { TrainEvent } from '../../../server/jobs/trainProgressTypes';
import {
  BuildDatasetRequest,
  CancelJobRequest,
  CreateSampleRequest,
  EvaluateRequest,
  ExportRequest,
  ImportWeightsRequest,
  JOB_INTERRUPTED_MESSAGE,
  JobChangedNotification,
  JobsRequest,
  PingRequest,
  TrainEventNotification,
  TrainRequest,
  ValidateRequest,
  type JobInfo,
} from '../../../server/rpc/protocol';
import { CLIP_MERGES, TORCH_PYTHON, tempDir, writeClipCheckpoint, writeDataset } from '../jobs/fixtures';
import { ensureBuilt, isAlive, newClient, waitUntil } from './fixtures';

const ONE_EPOCH = { epochs: 1, batch: 4, device: 'cpu', workers: 0, loraR: 4 } as const;
const LONG_RUN = { epochs: 200, batch: 8, device: 'cpu', workers: 0 } as const;
const NO_TIMEOUT = { timeoutMs: 0 };

function descendants(pid: number): number[] {
  const r = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  const children = r.stdout.split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** A client whose server keeps its job list in `stateDir`, with the job changes and train events it was told. */
function jobClient(t: Parameters<typeof newClient>[0], stateDir: string) {
  const client = newClient(t, { env: { ANOMALY_LENS_STATE_DIR: stateDir } });
  const changes: JobInfo[] = [];
  const events = new Map<string, TrainEvent[]>();
  client.onNotification(JobChangedNotification, (job) => changes.push(job));
  client.onNotification(TrainEventNotification, (p) => events.set(p.token, [...(events.get(p.token) ?? []), p.event]));
  return { client, changes, events };
}

before(ensureBuilt);

describe('job methods', () => {
  it('trains one epoch as a job, exports it, and trains again starting from its bundle (init)', async (t) => {
    const dir = tempDir(t, 'al-rpc-jobs-');
    const data = writeDataset(join(dir, 'ds'), { train: 4, val: 2 });
    const { client, changes, events } = jobClient(t, join(dir, 'state'));
    const token = client.newProgressToken();
    const run = join(dir, 'run');
    const result = await client.request(TrainRequest, { dataset: data.root, out: run, python: TORCH_PYTHON, options: { ...ONE_EPOCH, seed: 3 }, jobId: 'train-1', progressToken: token }, NO_TIMEOUT);
    assert.equal(result.kind, 'done');
    const streamed = (events.get(token) ?? []).map((e) => e.type);
    assert.ok(streamed.includes('start') && streamed.includes('step') && streamed.at(-1) === 'done', streamed.join(' '));

    const jobs = await client.request(JobsRequest, undefined);
    const job = jobs.find((j) => j.id === 'train-1');
    assert.equal(job?.state, 'finished');
    assert.equal(job?.kind, 'train');
    assert.equal(job?.gpu, true);
    assert.equal(job?.output, run);
    assert.ok(job?.startedAt && job.endedAt);
    assert.ok(job?.lastEvent && ['done', 'eval', 'step'].includes(job.lastEvent.type), JSON.stringify(job?.lastEvent));
    const states = changes.filter((c) => c.id === 'train-1').map((c) => c.state);
    assert.deepEqual([...new Set(states)], ['queued', 'running', 'finished']);
    assert.ok(existsSync(join(dir, 'state', 'jobs.json')));

    const exported = await client.request(ExportRequest, { run, out: join(dir, 'exported'), checkpoint: 'last', python: TORCH_PYTHON, jobId: 'export-1' }, NO_TIMEOUT);
    assert.equal(exported.bundle, join(dir, 'exported'));
    assert.ok(existsSync(join(dir, 'exported', 'bundle.json')));

    // init: the trainer starts from the exported bundle's weights (LoRA on top of them).
    const initToken = client.newProgressToken();
    const bundle = join(run, 'bundle');
    const again = await client.request(TrainRequest, { dataset: data.root, out: join(dir, 'run-init'), init: bundle, python: TORCH_PYTHON, options: { ...ONE_EPOCH, seed: 3 }, progressToken: initToken }, NO_TIMEOUT);
    assert.equal(again.kind, 'done');
    const start = (events.get(initToken) ?? []).find((e) => e.type === 'start');
    assert.ok(start?.type === 'start');
    assert.equal(start.config.init, bundle);
    assert.equal(start.config.tune, 'lora');
    const scratchStart = (events.get(token) ?? []).find((e) => e.type === 'start');
    assert.ok(scratchStart?.type === 'start' && scratchStart.config.init === null);
    const firstLoss = (tok: string) => (events.get(tok) ?? []).find((e) => e.type === 'step');
    assert.notEqual(firstLoss(initToken)?.type === 'step' && firstLoss(initToken), undefined);
  });

  it('cancels a training through cancelJob at a checkpoint; training into the same folder resumes it', async (t) => {
    const dir = tempDir(t, 'al-rpc-jobs-');
    const data = writeDataset(join(dir, 'ds'));
    const { client, events } = jobClient(t, join(dir, 'state'));
    const token = client.newProgressToken();
    const run = join(dir, 'run');
    client.onNotification(TrainEventNotification, (p) => {
      if (p.token === token && p.event.type === 'step') void client.request(CancelJobRequest, { id: 'long' });
    });
    const result = await client.request(TrainRequest, { dataset: data.root, out: run, python: TORCH_PYTHON, options: LONG_RUN, jobId: 'long', progressToken: token }, NO_TIMEOUT);
    assert.equal(result.kind, 'stopped');
    if (result.kind !== 'stopped') return;
    assert.ok(result.event.checkpoint && existsSync(result.event.checkpoint));
    const job = (await client.request(JobsRequest, undefined)).find((j) => j.id === 'long');
    assert.equal(job?.state, 'cancelled');
    assert.deepEqual(await client.request(CancelJobRequest, { id: 'long' }), { cancelled: false });
    assert.ok(events.get(token)?.some((e) => e.type === 'step'));

    const resumeToken = client.newProgressToken();
    const resumed = await client.request(TrainRequest, { dataset: data.root, out: run, python: TORCH_PYTHON, options: { ...LONG_RUN, stopAt: result.event.step + 1 }, progressToken: resumeToken }, NO_TIMEOUT);
    assert.equal(resumed.kind, 'stopped');
    const start = events.get(resumeToken)?.find((e) => e.type === 'start');
    assert.ok(start?.type === 'start');
    assert.equal(start.resumed_from, result.event.step);
  });

  it('runs GPU jobs one at a time and other jobs beside them', async (t) => {
    const dir = tempDir(t, 'al-rpc-jobs-');
    const data = writeDataset(join(dir, 'ds'));
    const { client, changes, events } = jobClient(t, join(dir, 'state'));
    const stateOf = async (id: string) => (await client.request(JobsRequest, undefined)).find((j) => j.id === id)?.state;
    // Every train event arrives as a notification; job changes are throttled (a step and the evaluation after it can share one).
    const firstToken = client.newProgressToken();
    const first = client.request(TrainRequest, { dataset: data.root, out: join(dir, 'a'), python: TORCH_PYTHON, options: LONG_RUN, jobId: 'a', progressToken: firstToken }, NO_TIMEOUT);
    await waitUntil(() => (events.get(firstToken) ?? []).some((e) => e.type === 'step'), 60_000, 'the first training to step');
    const secondToken = client.newProgressToken();
    const second = client.request(TrainRequest, { dataset: data.root, out: join(dir, 'b'), python: TORCH_PYTHON, options: LONG_RUN, jobId: 'b', progressToken: secondToken }, NO_TIMEOUT);
    await waitUntil(() => changes.some((c) => c.id === 'b'), 10_000, 'the second training to be queued');
    const valid = await client.request(ValidateRequest, { dataset: data.root, jobId: 'beside' }, NO_TIMEOUT);
    assert.equal(valid.valid, true);
    assert.equal(await stateOf('a'), 'running');
    assert.equal(await stateOf('b'), 'queued');
    assert.deepEqual(await client.request(CancelJobRequest, { id: 'a' }), { cancelled: true });
    assert.equal((await first).kind, 'stopped');
    await waitUntil(() => (events.get(secondToken) ?? []).some((e) => e.type === 'step'), 60_000, 'the second training to step');
    await client.request(CancelJobRequest, { id: 'b' });
    assert.equal((await second).kind, 'stopped');
    const started = (id: string) => changes.find((c) => c.id === id && c.startedAt)?.startedAt as string;
    const ended = changes.find((c) => c.id === 'a' && c.endedAt)?.endedAt as string;
    assert.ok(started('b') >= ended, `b started ${started('b')}, a ended ${ended}`);
  });

  it('creates the sample, builds and validates it, and evaluates the default bundle on it', async (t) => {
    const dir = tempDir(t, 'al-rpc-jobs-');
    const { client, changes } = jobClient(t, join(dir, 'state'));
    const token = client.newProgressToken();
    const sample = await client.request(CreateSampleRequest, { out: join(dir, 'sample'), scale: 0.1, jobId: 'sample', progressToken: token }, NO_TIMEOUT);
    assert.equal(sample.synthetic, join(dir, 'sample', 'synthetic'));
    assert.ok(sample.images > 0 && existsSync(sample.mvtec));
    assert.ok(changes.some((c) => c.id === 'sample' && c.state === 'finished' && c.progress && c.progress.done === c.progress.total));

    const dataset = join(dir, 'dataset');
    const built = await client.request(BuildDatasetRequest, { sources: [{ root: sample.synthetic }, { root: sample.mvtec }], out: dataset, workers: 0 }, NO_TIMEOUT);
    assert.equal(built.cancelled, false);

    const valid = await client.request(ValidateRequest, { dataset, jobId: 'validate' }, NO_TIMEOUT);
    assert.equal(valid.valid, true);
    assert.ok(valid.counts.test.regions > 0);

    const report = join(dir, 'report');
    const evaluated = await client.request(EvaluateRequest, { dataset, out: report, jobId: 'eval' }, NO_TIMEOUT);
    assert.equal(evaluated.reportJson, join(report, 'report.json'));
    assert.ok(existsSync(evaluated.reportHtml));
    const json = JSON.parse(readFileSync(evaluated.reportJson, 'utf8')) as { metrics: { total: { regions: number; model: { rate: number } } } };
    assert.equal(evaluated.total.regions, json.metrics.total.regions);
    assert.equal(evaluated.total.regions, valid.counts.test.regions);
    assert.equal(evaluated.total.model, json.metrics.total.model.rate);
    // The default bundle was trained on this sample: it describes most regions right.
    assert.ok(evaluated.total.model > 0.5, `accuracy ${evaluated.total.model}`);
    const kinds = (await client.request(JobsRequest, undefined)).map((j) => [j.kind, j.state]);
    assert.deepEqual(kinds, [['createSample', 'finished'], ['buildDataset', 'finished'], ['validate', 'finished'], ['evaluate', 'finished']]);

    const broken = await client.request(ValidateRequest, { dataset: sample.out }, NO_TIMEOUT);
    assert.equal(broken.valid, false);
    assert.match(broken.problems[0].file, /dataset\.json/);
  });

  it('imports CLIP-format weights as a bundle and states their licence', async (t) => {
    const dir = tempDir(t, 'al-rpc-jobs-');
    const clip = join(dir, 'clip-tiny.pt');
    writeClipCheckpoint(clip);
    const { client } = jobClient(t, join(dir, 'state'));
    const result = await client.request(ImportWeightsRequest, { clip, vocab: CLIP_MERGES, out: join(dir, 'imported'), python: TORCH_PYTHON, jobId: 'import' }, NO_TIMEOUT);
    assert.equal(result.bundle, join(dir, 'imported'));
    assert.ok(existsSync(join(dir, 'imported', 'bundle.json')) && existsSync(join(dir, 'imported', 'weights.pt')));
    assert.ok(result.licences.some((l) => /CLIP.*MIT/.test(l)), result.licences.join('; '));
    const job = (await client.request(JobsRequest, undefined)).find((j) => j.id === 'import');
    assert.equal(job?.state, 'finished');
    assert.deepEqual(job?.result, result);
  });

  it('reports the jobs of a killed server as failed when the next server starts', async (t) => {
    const dir = tempDir(t, 'al-rpc-jobs-');
    const state = join(dir, 'state');
    const data = writeDataset(join(dir, 'ds'));
    const first = jobClient(t, state);
    const { pid } = await first.client.request(PingRequest, undefined);
    const training = first.client.request(TrainRequest, { dataset: data.root, out: join(dir, 'run'), python: TORCH_PYTHON, options: LONG_RUN, jobId: 'killed' }, NO_TIMEOUT);
    training.catch(() => undefined);
    await waitUntil(() => first.changes.some((c) => c.id === 'killed' && c.state === 'running'), 60_000, 'the training to run');
    const trainer = descendants(pid);
    process.kill(pid, 'SIGKILL');
    for (const child of trainer) {
      try {
        process.kill(child, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await waitUntil(() => !isAlive(pid), 5000, 'the server to die');

    const second = jobClient(t, state);
    const jobs = await second.client.request(JobsRequest, undefined);
    const job = jobs.find((j) => j.id === 'killed');
    assert.equal(job?.state, 'failed');
    assert.equal(job?.error?.message, JOB_INTERRUPTED_MESSAGE);
    assert.ok(job?.endedAt);
  });
});
