// anomalyLens/train through the client with the real Python trainer (tiny model on CPU):
// its events arrive as notifications, cancelling stops it at a checkpoint, and disposing the
// client ends the trainer with the server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import { ClientDisposedError, ServerRequestError } from '../../../extension/client/errors';
import type { TrainEvent } from '../../../server/jobs/trainProgress';
import { TrainEventNotification, TrainRequest, type TrainParams } from '../../../server/rpc/protocol';
import { TORCH_PYTHON, tempDir, writeDataset } from '../jobs/fixtures';
import { ensureBuilt, isAlive, newClient, waitUntil } from './fixtures';

/** Many epochs: the run is always stopped before it ends. */
const LONG_RUN = { epochs: 200, batch: 8, device: 'cpu', workers: 0 } as const;

/** Processes below `pid` (its children and theirs). */
function descendants(pid: number): number[] {
  const r = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  const children = r.stdout.split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

before(ensureBuilt);

describe('anomalyLens/train', () => {
  it('streams the trainer events and, when cancelled, resolves with the stop at a checkpoint', async (t) => {
    const dir = tempDir(t, 'al-rpc-train-');
    const data = writeDataset(join(dir, 'ds'));
    const client = newClient(t);
    const token = client.newProgressToken();
    const events: TrainEvent[] = [];
    const source = new CancellationTokenSource();
    client.onNotification(TrainEventNotification, (p) => {
      if (p.token !== token) return;
      events.push(p.event);
      if (p.event.type === 'step') source.cancel();
    });
    const params: TrainParams = { dataset: data.root, out: join(dir, 'run'), python: TORCH_PYTHON, options: LONG_RUN, progressToken: token };
    const result = await client.request(TrainRequest, params, { timeoutMs: 0, token: source.token });

    assert.equal(result.kind, 'stopped');
    assert.equal(result.run, join(dir, 'run'));
    if (result.kind !== 'stopped') return;
    assert.equal(result.event.signal, 'SIGTERM');
    assert.ok(result.event.checkpoint && existsSync(result.event.checkpoint), `checkpoint ${result.event.checkpoint}`);
    const types = events.map((e) => e.type);
    assert.ok(types.indexOf('start') >= 0 && types.indexOf('start') < types.indexOf('step'), types.join(' '));
    assert.equal(types.at(-1), 'stopped');
    const start = events.find((e) => e.type === 'start');
    assert.equal(start?.type === 'start' && start.epochs, LONG_RUN.epochs);
    assert.ok(result.event.step < 10);
    assert.deepEqual(descendants(client.pid as number), [], 'no trainer left running');
  });

  it('ends the trainer when the client is disposed during training', async (t) => {
    const dir = tempDir(t, 'al-rpc-train-');
    const data = writeDataset(join(dir, 'ds'));
    const client = newClient(t);
    const token = client.newProgressToken();
    let stepped = false;
    client.onNotification(TrainEventNotification, (p) => {
      if (p.token === token && p.event.type === 'step') stepped = true;
    });
    const { pid } = await client.start();
    const training = client.request(TrainRequest, { dataset: data.root, out: join(dir, 'run'), python: TORCH_PYTHON, options: LONG_RUN, progressToken: token }, { timeoutMs: 0 });
    const refused = assert.rejects(training, ClientDisposedError);
    await waitUntil(() => stepped, 60_000, 'the first training step');
    const trainer = descendants(pid);
    assert.ok(trainer.length > 0);
    await client.dispose();
    await refused;
    assert.ok(!isAlive(pid));
    await waitUntil(() => trainer.every((p) => !isAlive(p)), 5000, 'the trainer to end');
  });

  it('refuses a folder that is not a dataset, naming its dataset.json', async (t) => {
    const dir = tempDir(t, 'al-rpc-train-');
    const client = newClient(t);
    await assert.rejects(client.request(TrainRequest, { dataset: dir, out: join(dir, 'run'), python: TORCH_PYTHON }, { timeoutMs: 60_000 }), (err: unknown) => {
      assert.ok(err instanceof ServerRequestError, String(err));
      assert.equal(err.kind, 'user');
      assert.match(err.message, /dataset\.json/);
      return true;
    });
  });
});
