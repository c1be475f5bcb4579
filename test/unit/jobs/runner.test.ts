import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { prepareRun } from '../../../server/jobs/trainSetup';
import { runTrainer, trainerCommand, TrainerError } from '../../../server/jobs/runner';
import { trainerPythonPath } from '../../../server/jobs/trainerPackage';
import type { TrainEvent } from '../../../server/jobs/trainProgress';
import { UserError } from '../../../server/util/errors';
import { REPO_ROOT, TORCH_PYTHON, scriptedTrainer, tempDir, writeDataset } from './fixtures';

describe('trainer runner', () => {
  it('finds the trainer package in the source tree and beside a bundle', () => {
    assert.equal(trainerPythonPath(join(REPO_ROOT, 'server', 'jobs')), join(REPO_ROOT, 'server', 'trainer'));
    if (existsSync(join(REPO_ROOT, 'dist', 'trainer'))) assert.equal(trainerPythonPath(join(REPO_ROOT, 'dist')), join(REPO_ROOT, 'dist', 'trainer'));
    assert.throws(() => trainerPythonPath('/nonexistent/dir'), /the trainer package \(anomaly_lens\) is missing/);
  });

  it('starts several processes through torchrun, keeping stdout for the protocol', () => {
    assert.deepEqual(trainerCommand('py', ['train', '--x']), ['py', '-m', 'anomaly_lens', 'train', '--x']);
    const multi = trainerCommand('py', ['train'], 4);
    assert.deepEqual(multi.slice(0, 4), ['py', '-m', 'torch.distributed.run', '--standalone']);
    assert.deepEqual(multi.slice(-3), ['-m', 'anomaly_lens', 'train']);
    assert.ok(multi.join(' ').includes('--nproc_per_node 4 --redirects 2 --tee 2'));
  });

  it('stops the trainer cleanly when aborted: a stopped event with a checkpoint', async (t) => {
    const dir = tempDir(t);
    const data = writeDataset(join(dir, 'ds'));
    const run = await prepareRun({ dataset: data.root, run: join(dir, 'run') });
    const controller = new AbortController();
    const events: TrainEvent[] = [];
    const outcome = await runTrainer({
      python: TORCH_PYTHON,
      args: ['train', '--dataset', run.dataset, '--tokens', run.tokens, '--merges', run.merges, '--out', run.run,
        '--epochs', '50', '--batch', '8', '--device', 'cpu', '--workers', '0', '--no-export'],
      signal: controller.signal,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'step') controller.abort();
      },
    });
    assert.equal(outcome.kind, 'stopped');
    assert.ok(outcome.kind === 'stopped' && outcome.event.signal === 'SIGTERM');
    const checkpoint = outcome.kind === 'stopped' ? outcome.event.checkpoint : null;
    assert.ok(checkpoint && existsSync(checkpoint), `checkpoint ${checkpoint}`);
    const kinds = [...new Set(events.map((e) => e.type))].filter((type) => type !== 'prepare' && type !== 'warning');
    assert.deepEqual(kinds, ['start', 'step', 'checkpoint', 'stopped']);
  });

  it('rejects with the trainer\'s message on bad input (exit 2)', async (t) => {
    const dir = tempDir(t);
    const data = writeDataset(join(dir, 'ds'), { train: 2, val: 1 });
    const run = await prepareRun({ dataset: data.root, run: join(dir, 'run') });
    await assert.rejects(
      runTrainer({ python: TORCH_PYTHON, args: ['train', '--dataset', join(dir, 'elsewhere'), '--tokens', run.tokens, '--merges', run.merges, '--out', run.run] }),
      (err: unknown) => err instanceof UserError && /elsewhere\/dataset\.json: cannot read/.test(err.message),
    );
  });

  it('reports malformed lines as protocol errors and a crash as a TrainerError', async (t) => {
    const dir = tempDir(t);
    const step = JSON.stringify({ type: 'step', step: 1, epoch: 1, loss: 1, lr: 0.1, samples_per_s: null, eta_s: null });
    const python = scriptedTrainer(dir, [step, 'Segmentation fault (core dumped)'], 139, 'native crash in libfoo');
    const events: TrainEvent[] = [];
    await assert.rejects(runTrainer({ python, args: [], onEvent: (e) => events.push(e) }), (err: unknown) => {
      assert.ok(err instanceof TrainerError);
      assert.equal(err.code, 139);
      assert.match(err.message, /exited with status 139:\nnative crash in libfoo/);
      return true;
    });
    assert.equal(events[0].type, 'step');
    assert.ok(events[1].type === 'error' && events[1].kind === 'protocol' && events[1].message.endsWith('Segmentation fault (core dumped)'));
  });

  it('a zero exit without a final event is an error too; a missing executable a UserError', async (t) => {
    const dir = tempDir(t);
    await assert.rejects(runTrainer({ python: scriptedTrainer(dir, [], 0), args: [] }), /exited with status 0/);
    await assert.rejects(runTrainer({ python: join(dir, 'no-such-python'), args: [] }), (err: unknown) => err instanceof UserError && /cannot start/.test(err.message));
  });
});
