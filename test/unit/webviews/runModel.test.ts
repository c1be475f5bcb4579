import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StartEvent, TrainEvent } from '../../../server/jobs/trainProgressTypes';
import type { JobInfo } from '../../../server/rpc/protocol';
import { deviceText, durationText, keptEvents, phaseText, positionText, replaceHistory, runFromEvents } from '../../../webviews/training/runModel';

const start: StartEvent = {
  type: 'start', version: 1, run: '/runs/a', device: 'cuda:0', world_size: 1, amp: 'bfloat16', config: {},
  samples: { train: 100, val: 20 }, descriptions: 19, steps: { total: 100, per_epoch: 25 }, epochs: 4,
  resumed_from: null, trainable_parameters: 10, cached: true,
};
const step = (n: number): TrainEvent => ({ type: 'step', step: n, epoch: Math.ceil(n / 25), loss: 1 / n, lr: 0.001, samples_per_s: 100, eta_s: 100 - n });
const evalAt = (n: number, acc: number): TrainEvent => ({ type: 'eval', epoch: n / 25, step: n, val_accuracy: acc, val_loss: 1, samples: 20, best: false });
const steps = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => step(from + i));

test('repeated steps and evaluations are drawn once; the best accuracy is tracked', () => {
  const run = runFromEvents([start, ...steps(1, 30), ...steps(20, 30), evalAt(25, 0.5), evalAt(25, 0.5), ...steps(31, 50), evalAt(50, 0.8)]);
  assert.deepEqual(run.curves.step, steps(1, 50).map((e) => (e as { step: number }).step));
  assert.deepEqual(run.curves.valAccuracy, [0.5, 0.8]);
  assert.equal(run.bestAccuracy, 0.8);
  assert.equal(run.bestStep, 50);
  const p = positionText(run);
  assert.deepEqual(p, { step: '50 / 100', epoch: '2 / 4', eta: '50 s', speed: '100.0 samples/s', best: '80.00 % (step 50)' });
});

test('a resumed run cuts the curves back to its checkpoint; a fresh start clears them', () => {
  const resumed = runFromEvents([start, ...steps(1, 40), evalAt(25, 0.5), evalAt(40, 0.9), { ...start, resumed_from: 30 }, ...steps(31, 35)]);
  assert.equal(resumed.curves.step.length, 35);
  assert.deepEqual(resumed.curves.evalStep, [25]);
  assert.equal(resumed.bestAccuracy, 0.5, 'the best (0.9) came after the checkpoint the run resumed from: the best before it stands');
  assert.equal(resumed.bestStep, 25);
  const fresh = runFromEvents([start, ...steps(1, 40), evalAt(40, 0.9), { type: 'done', paths: {}, steps: 40 }, start, ...steps(1, 3)]);
  assert.deepEqual(fresh.curves.step, [1, 2, 3]);
  assert.deepEqual(fresh.curves.evalStep, []);
  assert.equal(fresh.phase, 'training');
  assert.equal(positionText(fresh).step, '3 / 100', 'nothing of the earlier run is left');
});

test('stopped, done and error events set the phase and what can be resumed', () => {
  const stopped = runFromEvents([start, ...steps(1, 5), { type: 'stopped', step: 5, epoch: 1, checkpoint: '/runs/a/step-5.pt', signal: 'SIGTERM' }]);
  assert.equal(stopped.phase, 'stopped');
  assert.equal(stopped.checkpoint, '/runs/a/step-5.pt');
  const done = runFromEvents([start, step(1), { type: 'done', paths: {}, best_accuracy: 0.7, best_step: 1 }]);
  assert.equal(done.phase, 'done');
  assert.equal(positionText(done).eta, 'finished');
  const failed = runFromEvents([start, { type: 'error', message: 'out of memory', kind: 'internal' }]);
  assert.equal(failed.phase, 'failed');
  assert.deepEqual(failed.messages, [{ level: 'error', text: 'out of memory' }]);
});

test('a history keeps the live points drawn meanwhile, unless the run started again', () => {
  const live = runFromEvents([start, ...steps(1, 12)]);
  assert.deepEqual(replaceHistory(live, [start, ...steps(1, 10)]).curves.step.length, 12);
  const restarted = { ...start, config: { seed: 2 } };
  assert.deepEqual(replaceHistory(live, [restarted, ...steps(1, 3)]).curves.step, [1, 2, 3]);
});

test('the kept events are bounded, keep every evaluation and the last step, and redraw the same shape', () => {
  const events = [start, ...steps(1, 10_000), evalAt(5000, 0.5), evalAt(10_000, 0.6)];
  const kept = keptEvents(events, 500);
  assert.ok(kept.length <= 500);
  assert.equal(kept.filter((e) => e.type === 'eval').length, 2);
  assert.deepEqual(kept.filter((e) => e.type === 'step').at(-1), step(10_000));
  const redrawn = runFromEvents(kept);
  assert.equal(redrawn.curves.step.at(-1), 10_000);
  assert.equal(redrawn.bestAccuracy, 0.6);
  assert.equal(keptEvents([start, ...steps(1, 10)]).length, 11);
});

test('durations and devices read as people write them', () => {
  assert.equal(durationText(42.4), '42 s');
  assert.equal(durationText(185), '3 min 05 s');
  assert.equal(durationText(3720), '1 h 02 min');
  assert.equal(durationText(null), '—');
  assert.equal(deviceText({ ...start, device: 'cpu' }), 'CPU');
  assert.equal(deviceText({ ...start, world_size: 2 }), 'cuda:0 × 2');
  assert.equal(deviceText({ ...start, device_name: 'NVIDIA H200' } as StartEvent), 'NVIDIA H200 (cuda:0)');
});

test('the phase shown: the trainer\'s, the job\'s where it has the last word, interrupted for a course that ended with nobody running it', () => {
  const job = (state: JobInfo['state']): JobInfo => ({ id: 'j', kind: 'train', title: 't', state, gpu: true, queuedAt: '2026-01-01T00:00:00Z' });
  const finished = runFromEvents([start, ...steps(1, 100), evalAt(100, 0.9), { type: 'done', paths: {}, steps: 100 }]);
  assert.equal(phaseText(finished, undefined, true), 'finished');
  assert.equal(phaseText(finished, job('finished'), true), 'finished');
  assert.equal(phaseText(finished, job('running'), true), 'finishing');
  const midway = runFromEvents([start, ...steps(1, 40), { type: 'checkpoint', path: '/runs/a/step-25.pt', step: 25, epoch: 1, best: true }]);
  assert.equal(phaseText(midway, job('running'), true), 'training');
  assert.equal(phaseText(midway, undefined, false), 'training', 'until the host has replayed the run, it may still run');
  assert.equal(phaseText(midway, undefined, true), 'interrupted');
  assert.equal(phaseText(midway, job('failed'), true), 'failed');
  assert.equal(phaseText(midway, job('cancelled'), true), 'cancelled');
  assert.equal(phaseText(runFromEvents([]), undefined, true), 'waiting');
  const stopped = runFromEvents([start, ...steps(1, 5), { type: 'stopped', step: 5, epoch: 1, checkpoint: '/runs/a/step-5.pt', signal: 'SIGTERM' }]);
  assert.equal(phaseText(stopped, undefined, true), 'stopped');
  // A resumed run reading its images again.
  assert.equal(phaseText(runFromEvents([...stopped.events, { type: 'prepare', split: 'train', done: 1, total: 9 }]), job('running'), true), 'preparing data');
});
