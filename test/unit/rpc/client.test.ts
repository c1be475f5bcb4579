// The extension's client against the real built child server (dist/server.js) in a child
// process: requests over the engine, progress, cancellation, errors, time limits, crashes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import { ClientDisposedError, RequestTimeoutError, ServerCrashedError, ServerRequestError, ServerUnavailableError } from '../../../extension/client/errors';
import {
  BuildDatasetRequest,
  DatasetStatsRequest,
  ErrorCodes,
  PingRequest,
  REQUEST_METHODS,
  SplitMaskRequest,
  type BuildDatasetParams,
  type ProgressParams,
} from '../../../server/rpc/protocol';
import { SAMPLE, readSampleStats } from '../masks/sample';
import { CLI_SCRIPT, ensureBuilt, isAlive, memoryLog, newClient, waitForState, waitUntil } from './fixtures';

let dir = '';
let sample = '';
let drawn: { synthetic: { anomalous: number }; mvtec: { anomalous: number } };

before(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'al-rpc-'));
  sample = join(dir, 'sample');
  const r = spawnSync(process.execPath, [CLI_SCRIPT, 'sample', sample, '--scale', '0.05', '--seed', '2'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  drawn = JSON.parse(readFileSync(join(sample, 'sample.json'), 'utf8')).counts;
});
after(() => rmSync(dir, { recursive: true, force: true }));

function buildParams(out: string, extra: Partial<BuildDatasetParams> = {}): BuildDatasetParams {
  return { sources: [{ root: join(sample, 'synthetic') }, { root: join(sample, 'mvtec') }], out: join(dir, out), ...extra };
}

describe('child server over JSON-RPC', () => {
  it('answers ping from its own process and logs only on stderr', async (t) => {
    const log = memoryLog();
    const client = newClient(t, { logger: log });
    const info = await client.request(PingRequest);
    assert.equal(info.name, 'anomaly-lens');
    assert.equal(info.protocolVersion, 1);
    assert.equal(info.pid, client.pid);
    assert.notEqual(info.pid, process.pid);
    assert.deepEqual(info.capabilities, [...REQUEST_METHODS]);
    assert.deepEqual(info.active, []);
    assert.ok(log.lines.some((l) => l.includes(`[server ${info.pid}] anomaly-lens server`) && l.includes('listening on stdio')), log.lines.join('\n'));
  });

  it('splits every real sample mask into the connected components STATS.md lists (eps 1.5, minPts 1)', async (t) => {
    const client = newClient(t);
    const rows = readSampleStats();
    assert.equal(rows.length, 25);
    for (const row of rows) {
      const result = await client.request(SplitMaskRequest, { mask: join(SAMPLE, row.mask), eps: 1.5, minPts: 1 });
      assert.equal(result.width, row.width, row.mask);
      assert.equal(result.height, row.height, row.mask);
      assert.equal(result.regions.length, row.components, row.mask);
      assert.deepEqual(result.regions.map((r) => r.area).sort((a, b) => b - a), row.sizes, row.mask);
      assert.equal(result.noise, 0);
    }
  });

  it('builds a generated sample with progress notifications, then reads its statistics', async (t) => {
    const client = newClient(t);
    const token = client.newProgressToken();
    const progress: ProgressParams[] = [];
    const other: ProgressParams[] = [];
    const subscription = client.onProgress(token, (p) => progress.push(p));
    const all = client.onProgress('another-token', (p) => other.push(p));
    // One worker thread: the build lasts long enough for progress between the first and last notification.
    const answer = await client.request(BuildDatasetRequest, buildParams('built', { progressToken: token, workers: 1 }), { timeoutMs: 0 });
    subscription.dispose();
    all.dispose();
    assert.equal(answer.cancelled, false);
    if (answer.cancelled) return;
    const { result } = answer;
    const total = drawn.synthetic.anomalous + drawn.mvtec.anomalous;
    assert.equal(result.images.total, total);
    assert.equal(result.counts.train.images + result.counts.val.images, drawn.synthetic.anomalous);
    assert.equal(result.counts.test.images, drawn.mvtec.anomalous);
    assert.equal(result.errors, 0);
    assert.ok(existsSync(join(result.out, 'dataset.json')));

    assert.equal(other.length, 0);
    assert.ok(progress.length >= 3, `${progress.length} notifications`);
    assert.ok(progress.every((p) => p.token === token));
    const counted = progress.filter((p) => p.total > 0);
    for (let i = 1; i < counted.length; i++) assert.ok(counted[i].done >= counted[i - 1].done);
    assert.deepEqual({ done: counted.at(-1)?.done, total: counted.at(-1)?.total }, { done: total, total });
    assert.ok(counted.some((p) => p.done > 0 && p.done < total), 'progress in between');

    const stats = await client.request(DatasetStatsRequest, { dataset: result.out });
    assert.deepEqual(stats.counts, result.counts);
    assert.equal(stats.stats.objectsTotal.total, total);
    assert.match(stats.markdown, /\| Total \|/);
  });

  it('cancels a build: no new images are started, nothing is written, and the images done are reused next time', async (t) => {
    const client = newClient(t);
    const token = client.newProgressToken();
    const source = new CancellationTokenSource();
    client.onProgress(token, (p) => {
      if (p.done > 0) source.cancel();
    });
    const params = buildParams('cancelled', { progressToken: token, workers: 1 });
    const answer = await client.request(BuildDatasetRequest, params, { timeoutMs: 0, token: source.token });
    assert.equal(answer.cancelled, true);
    if (!answer.cancelled) return;
    const total = drawn.synthetic.anomalous + drawn.mvtec.anomalous;
    assert.equal(answer.total, total);
    assert.ok(answer.done >= 1 && answer.done < total / 2, `${answer.done} of ${total} done`);
    assert.ok(!existsSync(join(params.out, 'dataset.json')));

    const again = await client.request(BuildDatasetRequest, { ...params, progressToken: undefined }, { timeoutMs: 0 });
    assert.equal(again.cancelled, false);
    if (again.cancelled) return;
    assert.equal(again.result.images.cached, answer.done);
    assert.equal(again.result.images.processed, total - answer.done);
  });

  it('answers bad input with the typed user error naming the file, and bad parameters with InvalidParams', async (t) => {
    const client = newClient(t);
    const missing = join(dir, 'no-such-mask.png');
    await assert.rejects(client.request(SplitMaskRequest, { mask: missing }), (err: unknown) => {
      assert.ok(err instanceof ServerRequestError);
      assert.equal(err.kind, 'user');
      assert.equal(err.code, ErrorCodes.UserError);
      assert.equal(err.file, missing);
      assert.equal(err.method, SplitMaskRequest.method);
      assert.match(err.message, /no-such-mask\.png: cannot read the image: no such file/);
      return true;
    });
    await assert.rejects(client.request(DatasetStatsRequest, { dataset: sample }), (err: unknown) => {
      assert.ok(err instanceof ServerRequestError && err.kind === 'user');
      assert.equal(err.file, join(sample, 'dataset.json'));
      return true;
    });
    const mask = join(SAMPLE, readSampleStats()[0].mask);
    await assert.rejects(client.request(SplitMaskRequest, { mask, eps: -1 }), (err: unknown) => {
      assert.ok(err instanceof ServerRequestError);
      assert.equal(err.kind, 'invalid-params');
      assert.match(err.message, /eps must be a positive number of pixels, not -1/);
      return true;
    });
    // The server goes on serving.
    assert.equal((await client.request(SplitMaskRequest, { mask })).mask, mask);
  });

  it('fails a request that outlives its time limit and cancels it on the server', async (t) => {
    const client = newClient(t);
    await client.start();
    // One worker thread: the build of about 70 images takes well over a second.
    const params = buildParams('timed-out', { workers: 1 });
    const started = Date.now();
    await assert.rejects(client.request(BuildDatasetRequest, params, { timeoutMs: 400 }), (err: unknown) => {
      assert.ok(err instanceof RequestTimeoutError);
      assert.equal(err.method, BuildDatasetRequest.method);
      assert.match(err.message, /did not answer anomalyLens\/buildDataset within 400 ms/);
      return true;
    });
    assert.ok(Date.now() - started < 2000);
    await waitUntil(async () => (await client.request(PingRequest)).active.length === 0, 10_000, 'the build to stop');
    assert.ok(!existsSync(join(params.out, 'dataset.json')), 'the cancelled build wrote no dataset');
  });

  it('rejects waiting requests when the server crashes and restarts it with backoff', async (t) => {
    const log = memoryLog();
    const client = newClient(t, { logger: log, restart: { baseDelayMs: 50, maxRestarts: 3 } });
    const first = (await client.start()).pid;
    const building = client.request(BuildDatasetRequest, buildParams('crashed', { workers: 1 }), { timeoutMs: 0 });
    await waitUntil(async () => (await client.request(PingRequest)).active.includes(BuildDatasetRequest.method), 5000, 'the build to start');
    process.kill(first, 'SIGKILL');
    await assert.rejects(building, (err: unknown) => {
      assert.ok(err instanceof ServerCrashedError);
      assert.match(err.message, new RegExp(`server \\(pid ${first}\\) was killed by SIGKILL`));
      return true;
    });
    const info = await client.request(PingRequest);
    assert.notEqual(info.pid, first);
    assert.equal(client.state, 'running');
    assert.ok(!isAlive(first));
    assert.ok(log.lines.some((l) => l.startsWith('warn ') && l.includes('restarting it in 50 ms (restart 1 of at most 3')), log.lines.join('\n'));
  });

  it('gives up after too many crashes within the window, with a clear error, until restarted by hand', async (t) => {
    const log = memoryLog();
    const client = newClient(t, { logger: log, restart: { baseDelayMs: 20, maxRestarts: 2, windowMs: 60_000 } });
    const pids: number[] = [];
    for (let crash = 1; crash <= 3; crash++) {
      const { pid } = await client.request(PingRequest);
      pids.push(pid);
      process.kill(pid, 'SIGKILL');
      await waitForState(client, crash < 3 ? 'restarting' : 'failed');
    }
    assert.equal(new Set(pids).size, 3);
    const delays = log.lines.filter((l) => l.startsWith('warn ')).map((l) => Number(/restarting it in (\d+) ms/.exec(l)?.[1]));
    assert.deepEqual(delays, [20, 40]);
    await assert.rejects(client.request(PingRequest), (err: unknown) => {
      assert.ok(err instanceof ServerUnavailableError);
      assert.match(err.message, /crashed 3 times within 60 s and is not restarted again/);
      return true;
    });
    const restarted = await client.restart();
    assert.ok(!pids.includes(restarted.pid));
    assert.equal((await client.request(PingRequest)).pid, restarted.pid);
  });

  it('gives up with the reason when the server cannot start at all', async (t) => {
    const restart = { baseDelayMs: 10, maxRestarts: 1 };
    const noScript = newClient(t, { serverScript: join(dir, 'missing-server.js'), restart });
    await assert.rejects(noScript.request(PingRequest), (err: unknown) => {
      assert.ok(err instanceof ServerUnavailableError, String(err));
      assert.match(err.message, /exited with code 1; its last output:[\s\S]*Cannot find module '.*missing-server\.js'/);
      assert.match(err.message, /crashed 2 times/);
      return true;
    });
    const noNode = newClient(t, { nodePath: join(dir, 'no-such-node'), restart });
    await assert.rejects(noNode.request(PingRequest), (err: unknown) => {
      assert.ok(err instanceof ServerUnavailableError, String(err));
      assert.match(err.message, /could not be started: spawn .*no-such-node ENOENT/);
      return true;
    });
  });

  it('dispose shuts the server down during a build, ends its process and refuses further requests', async (t) => {
    const log = memoryLog();
    const client = newClient(t, { logger: log });
    const { pid } = await client.start();
    const building = client.request(BuildDatasetRequest, buildParams('disposed', { workers: 1 }), { timeoutMs: 0 });
    await waitUntil(async () => (await client.request(PingRequest)).active.length > 0, 5000, 'the build to start');
    const refused = assert.rejects(building, ClientDisposedError);
    const started = Date.now();
    await client.dispose();
    assert.ok(Date.now() - started < 4000, 'shut down without waiting for the kill');
    await refused;
    assert.ok(!isAlive(pid));
    assert.equal(client.state, 'disposed');
    await assert.rejects(client.request(PingRequest), ClientDisposedError);
    assert.ok(log.lines.some((l) => l.includes('shutting down (shutdown request)')), log.lines.join('\n'));
    assert.ok(!log.lines.some((l) => l.includes('killing it')));
  });
});
