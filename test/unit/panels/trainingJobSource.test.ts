// The training dashboard's JobSource over the job tracker and the built child server (npm run
// build first), with a real tiny training: Resume answers while the resumed job runs, and the run's
// history on disk joined with the live events is the run's whole course.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ServerClient } from '../../../extension/client/client';
import { JobTracker } from '../../../extension/jobProgress/tracker';
import { mergeHistory } from '../../../extension/panels/trainingHistory';
import { trainingJobSource } from '../../../extension/panels/trainingJobSource';
import { TrainRequest, type JobInfo, type TrainEvent } from '../../../server/rpc/protocol';
import { runFromEvents } from '../../../webviews/training/runModel';
import { TORCH_PYTHON, tempDir, writeDataset } from '../jobs/fixtures';

const SERVER = join(__dirname, '..', '..', '..', 'dist', 'server.js');

function waitFor<T>(subscribe: (listener: (e: T) => void) => { dispose(): void }, match: (e: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const d = subscribe((e) => {
      if (!match(e)) return;
      d.dispose();
      resolve(e);
    });
  });
}

test('Resume answers once the resumed job runs (the dashboard can cancel it); the history file and the live events make one course', { skip: !existsSync(SERVER) }, async (t) => {
  const dir = tempDir(t, 'al-dashboard-source-');
  const data = writeDataset(join(dir, 'ds'), { train: 8, val: 3 });
  const client = new ServerClient({ serverScript: SERVER, env: { ANOMALY_LENS_STATE_DIR: join(dir, 'state'), ANOMALY_LENS_PYTHON: TORCH_PYTHON }, cwd: dir });
  const tracker = new JobTracker(client);
  t.after(async () => {
    tracker.dispose();
    await client.dispose();
  });
  const run = join(dir, 'run');
  const live = new Map<string, TrainEvent[]>();
  tracker.onTrainEvent(({ jobId, event }) => live.set(jobId, [...(live.get(jobId) ?? []), event]));
  const train = (resume: boolean) =>
    tracker.start(
      TrainRequest,
      { dataset: data.root, out: run, validate: false, options: resume ? { device: 'cpu', workers: 1 } : { base: 'tiny', epochs: 40, batch: 4, device: 'cpu', workers: 1, export: false } },
      { kind: 'train', title: 'train', output: run, gpu: true },
    );

  // A run cancelled after its first epoch end: it has a checkpoint to resume from.
  const first = train(false);
  await waitFor(tracker.onTrainEvent, ({ jobId, event }) => jobId === first.id && event.type === 'checkpoint');
  await tracker.cancel(first.id);
  assert.equal((await first.result).kind, 'stopped');

  let resumedJob: ReturnType<typeof train> | undefined;
  const source = trainingJobSource(tracker, {
    startTraining: (folder) => {
      assert.equal(folder, run);
      resumedJob = train(true);
      return resumedJob.result;
    },
    readFile: (path) => readFile(path),
  });
  await source.resume(run);
  assert.ok(resumedJob, 'Resume started a training');
  const job = tracker.get(resumedJob.id) as JobInfo;
  assert.ok(job.state === 'queued' || job.state === 'running', `Resume answered while the job was ${job.state}`);

  // Mid-run, as a dashboard opened now reads it, then after a few more steps live.
  await waitFor(tracker.onTrainEvent, ({ jobId, event }) => jobId === resumedJob?.id && event.type === 'step');
  const midway = await source.history(run);
  await waitFor(tracker.onTrainEvent, ({ jobId, event }) => jobId === resumedJob?.id && event.type === 'eval');
  await tracker.cancel(resumedJob.id);
  assert.equal((await resumedJob.result).kind, 'stopped');

  const stored = await source.history(run);
  const fileSteps = stored.filter((e) => e.type === 'step').map((e) => (e as { step: number }).step);
  const last = fileSteps[fileSteps.length - 1];
  assert.deepEqual(fileSteps, Array.from({ length: last }, (_, i) => i + 1), 'the file holds every step once');
  assert.deepEqual(stored.filter((e) => e.type === 'start').map((e) => (e as { resumed_from: number | null }).resumed_from).length, 2);
  const evalSteps = stored.filter((e) => e.type === 'eval').map((e) => (e as { step: number }).step);
  const afterwards = runFromEvents(mergeHistory(stored, live.get(resumedJob.id) ?? []));
  assert.deepEqual(afterwards.curves.step, fileSteps);
  assert.deepEqual(afterwards.curves.evalStep, evalSteps);
  assert.equal(afterwards.phase, 'stopped');
  // Read mid-run: every step on disk then, and after it the (thinned) step lines of stdout, each once.
  const merged = runFromEvents(mergeHistory(midway, live.get(resumedJob.id) ?? []));
  const midwaySteps = midway.filter((e) => e.type === 'step').map((e) => (e as { step: number }).step);
  assert.deepEqual(merged.curves.step.slice(0, midwaySteps.length), midwaySteps);
  assert.deepEqual(merged.curves.step, [...new Set(merged.curves.step)].sort((a, b) => a - b));
  assert.ok(merged.curves.step.every((s) => fileSteps.includes(s)));
  assert.deepEqual(merged.curves.evalStep, evalSteps);
  assert.equal(merged.phase, 'stopped');
});
