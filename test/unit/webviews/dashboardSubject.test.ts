import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobInfo, TrainEvent } from '../../../server/rpc/protocol';
import { pickJob, recordEvent, sessionEvents, subjectOf } from '../../../extension/panels/trainingHistory';

const job = (id: string, state: JobInfo['state'], queuedAt: string, output = '/runs/a', kind: JobInfo['kind'] = 'train'): JobInfo => ({
  id, kind, title: id, state, gpu: true, queuedAt, output,
});

test('the dashboard follows the job running on its run folder, else the job it named, else the newest of the folder', () => {
  const first = job('job-1', 'cancelled', '2026-01-01T00:00:00Z');
  const resumed = job('job-2', 'running', '2026-01-01T01:00:00Z');
  const other = job('job-3', 'running', '2026-01-01T02:00:00Z', '/runs/b');
  const evaluation = job('job-4', 'running', '2026-01-01T03:00:00Z', '/runs/a', 'evaluate');
  assert.equal(pickJob([first, resumed, other, evaluation], { jobId: 'job-1', runFolder: '/runs/a' })?.id, 'job-2');
  assert.equal(pickJob([first, other], { jobId: 'job-1', runFolder: '/runs/a' })?.id, 'job-1');
  assert.equal(pickJob([first, { ...resumed, state: 'finished' }, other], { runFolder: '/runs/a/' })?.id, 'job-2');
  assert.equal(pickJob([other], { jobId: 'job-1', runFolder: '/runs/a' }), undefined);
});

test('a dashboard opened on a job id or a run folder names both when it can', () => {
  const running = job('job-2', 'running', '2026-01-01T01:00:00Z');
  assert.deepEqual(subjectOf([running], 'job-2'), { jobId: 'job-2', runFolder: '/runs/a' });
  assert.deepEqual(subjectOf([running], '/runs/a'), { jobId: 'job-2', runFolder: '/runs/a' });
  assert.deepEqual(subjectOf([], '/runs/z'), { jobId: undefined, runFolder: '/runs/z' });
});

test('the events this window saw are kept per job, progress lines collapsed', () => {
  const events: TrainEvent[] = [
    { type: 'prepare', split: 'train', done: 1, total: 10 },
    { type: 'prepare', split: 'train', done: 10, total: 10 },
    { type: 'step', step: 1, epoch: 1, loss: 1, lr: 1, samples_per_s: null, eta_s: null },
  ];
  for (const e of events) recordEvent('job-x', e);
  assert.deepEqual(sessionEvents('job-x'), [events[1], events[2]]);
  assert.deepEqual(sessionEvents('job-unknown'), []);
});
