// A run's history file joined with the events a window saw live: one course of steps, each once.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { storedHistory } from '../../../extension/panels/trainingJobSource';
import { mergeHistory } from '../../../extension/panels/trainingHistory';
import { parseHistory } from '../../../server/jobs/trainHistory';
import type { TrainEvent } from '../../../server/rpc/protocol';
import { runFromEvents } from '../../../webviews/training/runModel';
import { tempDir } from '../jobs/fixtures';

const start = (resumedFrom: number | null): TrainEvent => ({
  type: 'start', version: 1, run: '/runs/a', device: 'cpu', world_size: 1, amp: 'off', config: {}, samples: { train: 40, val: 8 },
  descriptions: 4, steps: { total: 20, per_epoch: 10 }, epochs: 2, resumed_from: resumedFrom, trainable_parameters: 10, cached: true,
});
const step = (n: number): TrainEvent => ({ type: 'step', step: n, epoch: Math.ceil(n / 10), loss: 1 / n, lr: 1e-3, samples_per_s: 10, eta_s: 20 - n });
const evalAt = (n: number): TrainEvent => ({ type: 'eval', epoch: n / 10, step: n, val_accuracy: n / 40, val_loss: 1, samples: 8, best: true });
/** As the file holds an event: one JSON line with the time it was written. */
const line = (e: TrainEvent, time = 1_700_000_000) => JSON.stringify({ ...e, time });

test('the history file holds every step; the live step lines (a thinned few) that it holds are not drawn twice', () => {
  const file = [start(null), ...[1, 2, 3, 4, 5, 6, 7].map(step)];
  const live: TrainEvent[] = [{ type: 'prepare', split: 'train', done: 40, total: 40 }, start(null), step(1), step(4), step(7), step(9), step(10), evalAt(10)];
  const merged = mergeHistory(parseHistory(file.map((e) => line(e)).join('\n') + '\n'), live);
  assert.deepEqual(merged.filter((e) => e.type === 'step').map((e) => (e as { step: number }).step), [1, 2, 3, 4, 5, 6, 7, 9, 10]);
  assert.deepEqual(merged.map((e) => e.type).filter((t) => t !== 'step'), ['start', 'eval']);
  const run = runFromEvents(merged);
  assert.deepEqual(run.curves.step, [1, 2, 3, 4, 5, 6, 7, 9, 10]);
  assert.deepEqual(run.curves.evalStep, [10]);
});

test('a run resumed twice after kills draws one course; a resumed job still reading its images shows it prepares', () => {
  // Killed after step 6 (checkpoint 4), resumed from 4, stopped at 8 — the trainer cut the file back at the resume.
  const text = [start(null), step(1), step(2), step(3), step(4), { type: 'checkpoint', path: '/runs/a/c4', step: 4, epoch: 1, best: false } as TrainEvent,
    start(4), step(5), step(6), step(7), step(8), { type: 'stopped', step: 8, epoch: 1, checkpoint: '/runs/a/c8', signal: 'SIGTERM' } as TrainEvent]
    .map((e) => line(e)).join('\n') + '\n{"type": "step", "st';
  const stored = parseHistory(text);
  assert.equal(stored.length, 12, 'the torn last line is skipped');
  const run = runFromEvents(mergeHistory(stored, []));
  assert.deepEqual(run.curves.step, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(run.phase, 'stopped');
  assert.equal(run.checkpoint, '/runs/a/c8');

  const preparing = runFromEvents(mergeHistory(stored, [{ type: 'prepare', split: 'train', done: 3, total: 40 }]));
  assert.equal(preparing.phase, 'preparing');
  assert.deepEqual(preparing.curves.step, [1, 2, 3, 4, 5, 6, 7, 8]);

  // The resumed job's events after the file was read follow its course.
  const resumed = runFromEvents(mergeHistory(stored, [start(8), step(9), step(10), evalAt(10)]));
  assert.deepEqual(resumed.curves.step, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(resumed.phase, 'training');
});

test('without a history file (a run of an older trainer), the live events are the run', () => {
  const live = [start(null), step(1), step(2)];
  assert.deepEqual(mergeHistory([], live), live);
});

test("a run folder's history is its history file; a run trained before runs kept one shows the validations its bundle recorded", async (t) => {
  const dir = tempDir(t, 'al-stored-history-');
  const io = { readFile: (p: string) => readFile(p) };
  const old = join(dir, 'old');
  mkdirSync(join(old, 'bundle'), { recursive: true });
  const metrics = { history: [{ epoch: 1, step: 3, val_accuracy: 0.25, val_loss: 1.2 }, { epoch: 2, step: 6, val_accuracy: 0.5, val_loss: 0.9 }] };
  writeFileSync(join(old, 'bundle', 'bundle.json'), JSON.stringify({ provenance: { metrics } }));
  assert.deepEqual((await storedHistory(io, old)).map((e) => [e.type, (e as { step: number }).step]), [['eval', 3], ['eval', 6]]);
  // Exported again by a trainer that keeps a history: only the end is in it.
  writeFileSync(join(old, 'history.jsonl'), line({ type: 'done', paths: {}, steps: 6 }) + '\n');
  assert.equal(runFromEvents(await storedHistory(io, old)).phase, 'done');
  assert.deepEqual(runFromEvents(await storedHistory(io, old)).curves.evalStep, [3, 6]);

  const current = join(dir, 'current');
  mkdirSync(current);
  writeFileSync(join(current, 'history.jsonl'), [start(null), step(1), step(2)].map((e) => line(e)).join('\n') + '\n');
  assert.deepEqual(runFromEvents(await storedHistory(io, current)).curves.step, [1, 2]);
  assert.deepEqual(await storedHistory(io, join(dir, 'none')), []);
});
