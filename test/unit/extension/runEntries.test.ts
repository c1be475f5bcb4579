// The Runs view's entries: one per run folder, however many jobs wrote it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeRuns, parseRun, presentRun } from '../../../extension/runs/model';
import type { JobInfo } from '../../../server/rpc/protocol';

const runJson = JSON.stringify({ format: 'anomaly-lens-run', version: 1, config: { dataset: '/ws/datasets/s', base: 'tiny', epochs: 20 }, model: { size: 'tiny' } });

function job(partial: Partial<JobInfo> & Pick<JobInfo, 'id' | 'state' | 'queuedAt'>): JobInfo {
  return { kind: 'train', title: `Train tiny ${partial.id}`, gpu: false, ...partial };
}

function ids(entries: ReturnType<typeof mergeRuns>): string[] {
  return entries.map((e) => presentRun(e).id);
}

test('a cancelled run resumed is one entry, shown with the job that resumes it; so after a reload, when the server lists both jobs', () => {
  const cancelled = parseRun('/ws/runs/sample-tiny-2', 'runs/sample-tiny-2', runJson, { hasCheckpoint: true });
  const first = job({ id: 'j1', state: 'cancelled', output: '/ws/runs/sample-tiny-2', queuedAt: '2026-01-01T00:00:00Z' });
  const resumed = job({ id: 'j2', state: 'running', output: '/ws/runs/sample-tiny-2', queuedAt: '2026-01-01T00:05:00Z' });
  const entries = mergeRuns([cancelled], [first, resumed]);
  assert.deepEqual(ids(entries), ['/ws/runs/sample-tiny-2']);
  assert.equal(entries[0].status, 'running');
  assert.equal(entries[0].job?.id, 'j2');
  assert.match(presentRun(entries[0]).contextValue, /\bactive\b/);
  assert.doesNotMatch(presentRun(entries[0]).contextValue, /\bresumable\b/);

  // The server that starts after a reload marks the job it lost as failed; its folder may end in a slash.
  const lost = { ...resumed, state: 'failed' as const, output: '/ws/runs/sample-tiny-2/' };
  const reloaded = mergeRuns([cancelled], [lost, first]);
  assert.deepEqual(ids(reloaded), ['/ws/runs/sample-tiny-2']);
  assert.equal(reloaded[0].status, 'failed');
  assert.match(presentRun(reloaded[0]).contextValue, /\bresumable\b/);
});

test('jobs on a folder not on disk yet are one entry too, the newest job standing for it', () => {
  const older = job({ id: 'a', state: 'cancelled', output: '/ws/runs/new', queuedAt: '2026-01-01T00:00:00Z' });
  const newer = job({ id: 'b', state: 'queued', output: '/ws/runs/new/', queuedAt: '2026-01-01T00:01:00Z' });
  const entries = mergeRuns([], [older, newer]);
  assert.equal(entries.length, 1);
  assert.equal(entries[0].job?.id, 'b');
  assert.equal(new Set(ids(mergeRuns([], [older, newer, job({ id: 'c', state: 'failed', queuedAt: '2026-01-01T00:02:00Z' })]))).size, 2);
});

test('a run that reached an epoch end (best.pt) is marked validated: Export Best is offered for it alone', () => {
  const early = parseRun('/ws/runs/early', 'runs/early', runJson, { hasCheckpoint: true, hasBest: false });
  const validated = parseRun('/ws/runs/v', 'runs/v', runJson, { hasCheckpoint: true, hasBest: true });
  const [v, e] = mergeRuns([early, validated], []).sort((a, b) => (a.name < b.name ? 1 : -1));
  assert.match(presentRun(v).contextValue, /\bvalidated\b/);
  assert.doesNotMatch(presentRun(e).contextValue, /\bvalidated\b/);
});
