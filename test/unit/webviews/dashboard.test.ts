// The built training dashboard (dist/webviews/training.js) in Chromium under the host's CSP.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { parseTrainEvent } from '../../../server/jobs/trainProgress';
import type { JobInfo } from '../../../server/rpc/protocol';
import type { TrainEvent } from '../../../server/jobs/trainProgressTypes';
import { CLI, TORCH_PYTHON, tempDir, writeDataset } from '../jobs/fixtures';
import { DARK_THEME, closeBrowser, openWebview, type WebviewPage } from './webviewPage';

after(closeBrowser);

const RUN = '/work/runs/tiny-1';

const start: TrainEvent = {
  type: 'start', version: 1, run: RUN, device: 'cpu', world_size: 1, amp: 'off', config: { base: 'tiny' },
  samples: { train: 320, val: 64 }, descriptions: 19, steps: { total: 40, per_epoch: 10 }, epochs: 4,
  resumed_from: null, trainable_parameters: 1_200_000, cached: true,
};

function step(n: number): TrainEvent {
  return { type: 'step', step: n, epoch: Math.ceil(n / 10), loss: 3 / (1 + n / 4), lr: 1e-3 * Math.min(1, n / 5), samples_per_s: 250 + n, eta_s: (40 - n) * 5 + 0.4 };
}

function evalAt(n: number, accuracy: number): TrainEvent {
  return { type: 'eval', epoch: n / 10, step: n, val_accuracy: accuracy, val_loss: 1.1, samples: 64, best: true };
}

const job: JobInfo = {
  id: 'job-1', kind: 'train', title: 'Train tiny on datasets/sample', state: 'running', gpu: false,
  queuedAt: '2026-12-01T00:00:00Z', startedAt: '2026-12-01T00:00:01Z', output: RUN,
};

const event = (body: unknown) => ({ type: 'event', body });

/** Answers the webview's pending requests as the host does, ok with null. */
async function replyToRequests(view: WebviewPage, kind: string): Promise<Record<string, unknown>> {
  const request = await view.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === kind);
  await view.send({ type: 'reply', id: request.id, ok: true, body: null });
  return request;
}

/** Pixels of the chart's canvas near the series colour (the fallback when no theme is set). */
function colouredPixels(view: WebviewPage, chartId: string, rgb: [number, number, number]): Promise<number> {
  return view.page.evaluate(
    ([id, [r, g, b]]) => {
      const canvas = document.querySelector(`#chart-${id} canvas`) as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 60 && data[i + 3] > 200) n++;
      return n;
    },
    [chartId, rgb] as const,
  );
}

const text = (view: WebviewPage, selector: string) => view.page.locator(selector).innerText();
const points = (view: WebviewPage, id: string) => view.page.locator(`#chart-${id}`).getAttribute('data-points');

test('the dashboard draws streamed steps and evaluations, shows position and ETA, cancels, and restores after a reload', async () => {
  // The loss curve takes the theme's colour, not the fallback (#3794ff).
  const view = await openWebview('training', { theme: { ...DARK_THEME, '--vscode-charts-blue': '#4090f0' } });
  try {
    await replyToRequests(view, 'ready');
    await view.send(event({ kind: 'subject', subject: { jobId: job.id, runFolder: RUN }, title: 'tiny-1' }));
    await view.send(event({ kind: 'job', job }));
    await view.send(event({ kind: 'history', events: [start, ...[1, 2, 3, 4, 5, 6].map(step)] }));
    // Live events overlap the history (steps 5 and 6 again): repeats are not drawn twice.
    for (const n of [5, 6, 7, 8, 9, 10, 11, 12]) await view.send(event({ kind: 'trainEvent', event: step(n) }));
    await view.send(event({ kind: 'trainEvent', event: evalAt(10, 0.625) }));

    await view.page.waitForFunction(() => document.querySelector('#chart-accuracy')?.getAttribute('data-points') === '1');
    assert.equal(await points(view, 'loss'), '12');
    assert.equal(await points(view, 'lr'), '12');
    assert.equal(await points(view, 'speed'), '12');
    assert.ok((await colouredPixels(view, 'loss', [0x40, 0x90, 0xf0])) > 50, 'the loss curve is drawn in the theme colour');
    assert.equal(await colouredPixels(view, 'lr', [0x40, 0x90, 0xf0]), 0, 'the learning-rate chart has its own colour');
    assert.ok((await colouredPixels(view, 'lr', [0xb1, 0x80, 0xd7])) > 50);

    assert.equal(await text(view, '#step'), '12 / 40');
    assert.equal(await text(view, '#epoch'), '2 / 4');
    assert.equal(await text(view, '#eta'), '2 min 20 s');
    assert.equal(await text(view, '#device'), 'CPU');
    assert.equal(await text(view, '#speed'), '262.0 samples/s');
    assert.equal(await text(view, '#best'), '62.50 % (step 10)');
    assert.equal(await text(view, '#phase'), 'training');
    assert.equal(await view.page.locator('#resume').getAttribute('disabled'), '', 'a running job cannot be resumed');
    await view.screenshot('training-dashboard');

    await view.page.locator('#cancel').click();
    const cancel = await replyToRequests(view, 'cancel');
    assert.deepEqual(cancel.body, { kind: 'cancel' });

    // The host answers with the job cancelled and the trainer's stop: resume becomes possible.
    await view.send(event({ kind: 'trainEvent', event: { type: 'checkpoint', path: `${RUN}/step-12.pt`, step: 12, epoch: 2, best: false } }));
    await view.send(event({ kind: 'trainEvent', event: { type: 'stopped', step: 12, epoch: 2, checkpoint: `${RUN}/step-12.pt`, signal: 'SIGTERM' } }));
    await view.send(event({ kind: 'job', job: { ...job, state: 'cancelled' } }));
    await view.page.waitForFunction(() => !document.querySelector('#resume')?.hasAttribute('disabled'));
    assert.equal(await view.page.locator('#cancel').getAttribute('disabled'), '');
    assert.equal(await text(view, '#phase'), 'cancelled');

    // The state keeps the subject (for the panel serializer) and the curves.
    await view.page.waitForFunction(() => (JSON.parse(sessionStorage.getItem('vscode-state') ?? '{}').job?.state === 'cancelled'));
    const state = (await view.state()) as { subject: unknown; events: TrainEvent[] };
    assert.deepEqual(state.subject, { jobId: 'job-1', runFolder: RUN });
    assert.equal(state.events.filter((e) => e.type === 'step').length, 12);

    // A reload (the panel hidden and shown again, or the window reloaded) draws from the state at
    // once, before the host answers, and asks the host for the rest.
    await view.reload();
    await view.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === 'ready');
    await view.page.waitForFunction(() => document.querySelector('#chart-loss')?.getAttribute('data-points') === '12');
    assert.equal(await points(view, 'accuracy'), '1');
    assert.equal(await text(view, '#step'), '12 / 40');
    assert.equal(await text(view, '#phase'), 'cancelled');

    await view.page.locator('#resume').click();
    const resume = await replyToRequests(view, 'resume');
    assert.deepEqual(resume.body, { kind: 'resume' });

    assert.deepEqual(view.problems, []);
  } finally {
    await view.close();
  }
});

test('a resumed run continues the curves from its checkpoint; a failed request shows its error', async () => {
  const view = await openWebview('training');
  try {
    await replyToRequests(view, 'ready');
    await view.send(event({ kind: 'subject', subject: { runFolder: RUN }, title: 'tiny-1' }));
    const checkpoint8: TrainEvent = { type: 'checkpoint', path: `${RUN}/step-8.pt`, step: 8, epoch: 1, best: false };
    const resumed: TrainEvent = { ...start, resumed_from: 8, device: 'cuda:0' } as TrainEvent;
    // Steps 9 and 10 ran after the last checkpoint (8) before the stop: the resumed run redoes them.
    await view.send(event({ kind: 'history', events: [start, ...[1, 2, 3, 4, 5, 6, 7, 8].map(step), checkpoint8, step(9), step(10), resumed, step(9)] }));
    await view.page.waitForFunction(() => document.querySelector('#chart-loss')?.getAttribute('data-points') === '9');
    assert.equal(await text(view, '#device'), 'cuda:0');
    assert.equal(await view.page.locator('#cancel').getAttribute('disabled'), '', 'no job: nothing to cancel');

    await view.send(event({ kind: 'trainEvent', event: { type: 'error', message: 'CUDA out of memory', kind: 'user' } }));
    await view.page.waitForFunction(() => document.querySelector('#messages')?.textContent?.includes('CUDA out of memory'));
    assert.equal(await text(view, '#phase'), 'failed');
    assert.equal(await view.page.locator('#resume').getAttribute('disabled'), null, 'the run has a checkpoint to resume from');
    await view.page.locator('#resume').click();
    const resume = await view.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === 'resume');
    await view.send({ type: 'reply', id: resume.id, ok: false, error: 'the run folder has no checkpoint' });
    await view.page.waitForFunction(() => document.querySelector('#messages')?.textContent?.includes('no checkpoint'));
    assert.deepEqual(view.problems, []);
  } finally {
    await view.close();
  }
});

test('a real tiny training run streamed line by line: every step and evaluation the trainer reports is drawn', async (t) => {
  const dir = tempDir(t, 'dashboard-train-');
  const data = writeDataset(join(dir, 'ds'));
  const run = join(dir, 'run');
  const view = await openWebview('training', { theme: DARK_THEME });
  try {
    await replyToRequests(view, 'ready');
    await view.send(event({ kind: 'subject', subject: { runFolder: run }, title: 'run' }));
    const trainer = spawn(
      process.execPath,
      [CLI, 'train', '--dataset', data.root, '--out', run, '--epochs', '2', '--batch', '4', '--device', 'cpu', '--workers', '1', '--no-export', '--json'],
      { env: { ...process.env, ANOMALY_LENS_PYTHON: TORCH_PYTHON }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    trainer.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const received: TrainEvent[] = [];
    for await (const line of createInterface({ input: trainer.stdout })) {
      const parsed = parseTrainEvent(line);
      received.push(parsed);
      await view.send(event({ kind: 'trainEvent', event: parsed }));
    }
    const code = await new Promise<number | null>((r) => (trainer.exitCode !== null ? r(trainer.exitCode) : trainer.once('exit', r)));
    assert.equal(code, 0, stderr);
    const steps = received.filter((e) => e.type === 'step');
    const evals = received.filter((e) => e.type === 'eval');
    const begun = received.find((e) => e.type === 'start');
    assert.ok(steps.length > 0 && evals.length === 2 && begun?.type === 'start', JSON.stringify(received.map((e) => e.type)));

    await view.page.waitForFunction(() => document.querySelector('#phase')?.textContent === 'finished');
    assert.equal(await points(view, 'loss'), String(steps.length));
    assert.equal(await points(view, 'accuracy'), '2');
    assert.equal(await text(view, '#device'), 'CPU');
    assert.equal(await text(view, '#step'), `${begun.steps.total} / ${begun.steps.total}`);
    assert.equal(await text(view, '#eta'), 'finished');
    assert.equal(await view.page.locator('#resume').getAttribute('disabled'), '', 'a finished run is not resumed');
    await view.screenshot('training-dashboard-real-run');
    assert.deepEqual(view.problems, []);
  } finally {
    await view.close();
  }
});
