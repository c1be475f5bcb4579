// The run comparison: two real tiny training runs (the CLI and the Python trainer) read from their
// run folders as the host reads them, and the built webview (dist/webviews/compare.js) in Chromium
// under the host's CSP drawing both runs' curves on one chart each and their facts side by side.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { comparedRun, trainingSeconds } from '../../../extension/runs/comparison';
import { parseHistory, type HistoryEvent } from '../../../server/jobs/trainHistory';
import type { ComparedRun } from '../../../webviews/compare/messages';
import { COLUMNS, tableRows } from '../../../webviews/compare/table';
import { CLI, TORCH_PYTHON, tempDir, writeDataset } from '../jobs/fixtures';
import { DARK_THEME, closeBrowser, openWebview } from './webviewPage';

after(closeBrowser);

function train(dataset: string, out: string, extra: string[]): void {
  const run = spawnSync(process.execPath, [CLI, 'train', '--dataset', dataset, '--out', out, '--batch', '4', '--device', 'cpu', '--workers', '1', '--no-export', '--json', ...extra], {
    env: { ...process.env, ANOMALY_LENS_PYTHON: TORCH_PYTHON },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
}

function readRun(folder: string, name: string): ComparedRun {
  return comparedRun(name, { runJson: readFileSync(join(folder, 'run.json'), 'utf8'), history: parseHistory(readFileSync(join(folder, 'history.jsonl'), 'utf8')) }, (p) => p.replace(/^.*\//, ''));
}

test('the time a run trained counts each trainer process from its start to its last event, not the pause between', () => {
  const at = (type: 'start' | 'step', time: number) => ({ type, time }) as unknown as HistoryEvent;
  assert.equal(trainingSeconds([at('start', 100), at('step', 110), at('step', 130), at('start', 1000), at('step', 1005)]), 35);
  assert.equal(trainingSeconds([]), null);
});

test('two runs compared: both curves on one chart each, one colour per run, and their final metrics and settings side by side', async (t) => {
  const dir = tempDir(t, 'al-compare-');
  const data = writeDataset(join(dir, 'ds'), { train: 8, val: 3 });
  train(data.root, join(dir, 'fast'), ['--epochs', '3', '--lr', '2e-3']);
  train(data.root, join(dir, 'slow'), ['--epochs', '2', '--lr', '1e-4', '--stop-at', '5']);
  const runs = [readRun(join(dir, 'fast'), 'runs/fast'), readRun(join(dir, 'slow'), 'runs/slow')];

  const [fast, slow] = runs;
  assert.equal(fast.facts.status, 'finished');
  assert.equal(slow.facts.status, 'stopped');
  assert.equal(fast.facts.epoch, 3);
  assert.equal(fast.facts.epochs, 3);
  assert.equal(fast.facts.steps, fast.facts.totalSteps);
  assert.equal(slow.facts.steps, 5);
  assert.deepEqual(fast.curves.step, Array.from({ length: fast.facts.steps }, (_, i) => i + 1), 'every step from the history file');
  assert.equal(fast.curves.evalStep.length, 3);
  assert.equal(fast.facts.lr, 2e-3);
  assert.equal(slow.facts.lr, 1e-4);
  assert.equal(fast.facts.base, 'tiny');
  assert.equal(fast.facts.tune, 'full');
  assert.equal(fast.facts.loraRank, null, 'trained from random weights: every weight, no LoRA');
  assert.equal(fast.facts.dataset, 'ds');
  assert.ok(fast.facts.seconds !== null && fast.facts.seconds > 0 && fast.facts.seconds < 600);
  assert.ok(fast.facts.bestValAccuracy !== null && fast.facts.finalLoss !== null);

  const rows = tableRows(runs);
  assert.equal(rows[0].length, COLUMNS.length);
  assert.equal(rows[0][COLUMNS.indexOf('LoRA rank')].text, 'none (full)');
  assert.equal(rows[0][COLUMNS.indexOf('Learning rate')].text, '2.0e-3');
  assert.equal(rows[1][COLUMNS.indexOf('Steps')].text, `5 / ${slow.facts.totalSteps}`);
  assert.equal(rows.filter((r) => r[COLUMNS.indexOf('Final loss')].best).length, 1, 'the lower final loss is marked');

  const view = await openWebview('compare', { theme: DARK_THEME, width: 1200, height: 900 });
  try {
    const ready = await view.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === 'ready');
    await view.send({ type: 'reply', id: ready.id, ok: true, body: null });
    await view.send({ type: 'event', body: { kind: 'runs', runs } });
    await view.page.waitForFunction(() => document.querySelector('#chart-loss')?.getAttribute('data-series') === '2');
    assert.equal(await view.page.locator('#chart-accuracy').getAttribute('data-series'), '2');
    assert.equal(await view.page.locator('#chart-loss').getAttribute('data-points'), String(fast.curves.step.length + slow.curves.step.length));
    assert.deepEqual(await view.page.locator('#legend li').allInnerTexts(), ['runs/fast', 'runs/slow']);
    const header = await view.page.locator('#runs-table th').allInnerTexts();
    assert.deepEqual(header, [...COLUMNS]);
    const cells = await view.page.locator('#runs-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
    assert.deepEqual(cells, rows.map((r) => r.map((c) => c.text)));
    // Each run's line in its own colour: the theme's blue, then its orange (the fallback where a theme has none).
    const colours = await view.page.locator('#legend .swatch').evaluateAll((s) => s.map((e) => getComputedStyle(e).backgroundColor));
    assert.equal(new Set(colours).size, 2);
    await view.screenshot('run-comparison');

    await view.page.locator('#runs-table tbody tr').nth(1).locator('a').click();
    const open = await view.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === 'openDashboard');
    assert.deepEqual(open.body, { kind: 'openDashboard', run: 1 });
    assert.deepEqual(view.problems, []);
  } finally {
    await view.close();
  }
});
