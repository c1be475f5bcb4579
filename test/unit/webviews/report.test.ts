// The built report webview (dist/webviews/report.js) in Chromium under the host's CSP, fed what the
// report panel sends for real reports: the demo's (default model against its whole-image
// baseline) and an evaluation of the whole-image model alone on the same dataset.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { datasetFile, galleryPictures, readReport } from '../../../extension/panels/reportFiles';
import type { LoadedReport, ReportJson } from '../../../webviews/report/messages';
import { DARK_THEME, ROOT, closeBrowser, openWebview, type WebviewPage } from './webviewPage';

const CLI = join(ROOT, 'dist', 'cli.js');
let work: string;
let withBaseline: LoadedReport;
let wholeImage: LoadedReport;

before(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.mjs first`);
  work = mkdtempSync(join(tmpdir(), 'report-webview-'));
  const demo = join(work, 'demo');
  execFileSync(process.execPath, [CLI, 'demo', '--out', demo, '--scale', '0.25'], { stdio: 'pipe' });
  execFileSync(
    process.execPath,
    [CLI, 'eval', '--dataset', join(demo, 'dataset'), '--bundle', join(ROOT, 'media', 'default-model-whole-image'), '--out', join(work, 'whole-image'), '--gallery', '4'],
    { stdio: 'pipe' },
  );
  withBaseline = readReport(join(demo, 'report'));
  wholeImage = readReport(join(work, 'whole-image'));
});

after(async () => {
  await closeBrowser();
  if (work) rmSync(work, { recursive: true, force: true });
});

const pct = (rate: number | null) => (rate === null ? '—' : (rate * 100).toFixed(2));
const signed = (d: number) => {
  const t = (d * 100).toFixed(2);
  return t.startsWith('-') ? t : `+${t}`;
};

async function rowCells(view: WebviewPage, selector: string): Promise<string[]> {
  return view.page.locator(selector).locator('td').allInnerTexts();
}

async function loadReport(compare?: LoadedReport): Promise<WebviewPage> {
  const view = await openWebview('report', { width: 1280, height: 900, theme: DARK_THEME });
  const ready = await view.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === 'ready');
  await view.send({ type: 'event', body: { kind: 'report', report: withBaseline, compare, pictures: compare ? {} : galleryPictures(withBaseline.report, [work]) } });
  await view.send({ type: 'reply', id: ready.id, ok: true, body: null });
  await view.page.waitForSelector('#table-regions');
  return view;
}

test('Tables 4 and 5, kind of image, per class, top-k and mask following show the report totals', async () => {
  const view = await loadReport();
  try {
    const m = withBaseline.report.metrics;
    assert.ok(m.total.baseline, 'the demo report has a baseline');
    const totalRow = [
      'Total',
      String(m.total.regions),
      pct(m.total.baseline.rate),
      pct(m.total.model.rate),
      signed((m.total.model.rate as number) - (m.total.baseline.rate as number)),
    ];
    assert.deepEqual(await rowCells(view, '#table-regions tr.total'), totalRow);
    assert.deepEqual(await rowCells(view, '#table-objects tr.total'), totalRow);
    assert.equal(await view.page.locator('#table-regions tbody tr').count(), m.byRegionCount.length + 1);
    assert.equal(await view.page.locator('#table-objects tbody tr').count(), m.byObject.length + 1);
    assert.equal(await view.page.locator('#table-kinds tbody tr').count(), m.byImageKind.length);
    assert.equal(await view.page.locator('#table-classes tbody tr').count(), m.byClass.length);
    assert.equal(await view.page.locator('#table-topk tbody tr').count(), m.topK.length);
    assert.deepEqual((await rowCells(view, '#table-topk tbody tr >> nth=0')).slice(2, 3), [pct(m.topK[0].model.rate)]);
    assert.equal(await view.page.locator('#table-mask tbody tr').count(), 2);
    assert.equal(await view.page.innerText('#total-model'), pct(m.total.model.rate));
    // Improvements over the baseline are marked as such.
    assert.ok((await view.page.locator('#table-regions tr.total td.up').count()) === 1);
    assert.deepEqual(view.problems, []);
  } finally {
    await view.close();
  }
});

test('the confusion matrix is a heat map of the report counts, and the gallery draws each region', async () => {
  const view = await loadReport();
  try {
    const matrix = withBaseline.report.metrics.confusion.model;
    const cells = view.page.locator('#heatmap-model td.cell');
    assert.equal(await cells.count(), matrix.labels.length ** 2);
    const counts = (await cells.evaluateAll((tds) => tds.map((td) => Number((td as HTMLElement).dataset.count)))) as number[];
    assert.deepEqual(counts, matrix.counts.flat());
    assert.equal(counts.reduce((a, b) => a + b, 0), withBaseline.report.metrics.regions);
    const diagonal = matrix.counts.reduce((sum, row, i) => sum + (row[i] ? 1 : 0), 0);
    assert.equal(await view.page.locator('#heatmap-model td.hit').count(), diagonal);
    assert.equal(await view.page.locator('#heatmap-model td.miss').count(), matrix.counts.flat().filter((n) => n > 0).length - diagonal);
    // The largest cell has the darkest shade.
    const max = Math.max(...matrix.counts.flat());
    assert.ok(await view.page.locator(`#heatmap-model td.l5[data-count="${max}"]`).count());
    const shaded = await view.page.locator('#heatmap-model td.l5').first().evaluate((td) => getComputedStyle(td).backgroundColor);
    assert.notEqual(shaded, 'rgba(0, 0, 0, 0)', 'the stylesheet colours the heat-map cells');
    assert.equal(await view.page.locator('#heatmap-baseline td.cell').count(), withBaseline.report.metrics.confusion.baseline!.labels.length ** 2);

    const gallery = withBaseline.report.gallery.length;
    assert.ok(gallery > 0);
    await view.page.waitForFunction((n) => document.querySelectorAll('#gallery canvas').length === n, gallery);
    // The region outline is drawn over the picture in the theme's colour.
    const outlined = await view.page.locator('#gallery canvas').first().evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] === 0xcc && d[i + 1] === 0xa7 && d[i + 2] === 0) n++;
      return n;
    });
    assert.ok(outlined > 10, `outline pixels: ${outlined}`);
    await view.screenshot('evaluation-report');

    await view.page.locator('#gallery .picture').first().click();
    const open = await view.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === 'openImage');
    assert.deepEqual(open.body, { kind: 'openImage', path: withBaseline.report.gallery[0].image });
    assert.deepEqual(view.problems, []);
  } finally {
    await view.close();
  }
});

test('the calibration section shows ECE before and after the temperature and the reliability diagrams with each bin\'s regions', async () => {
  const view = await loadReport();
  try {
    const c = withBaseline.report.metrics.calibration;
    assert.ok(c?.model.after, 'the default model records a temperature');
    await view.page.waitForSelector('#calibration');
    const modelRow = await rowCells(view, '#calibration-table tbody tr >> nth=1');
    assert.deepEqual(modelRow.slice(0, 4), ['Model', c.model.after.temperature.toFixed(3), pct(c.model.before.ece), pct(c.model.after.ece)]);
    for (const [id, at] of [['#reliability-before', c.model.before], ['#reliability-after', c.model.after]] as const) {
      const bars = view.page.locator(`${id} svg rect.bar`);
      const filled = at.bins.map((b, i) => ({ ...b, i })).filter((b) => b.count > 0);
      assert.equal(await bars.count(), filled.length);
      const drawn = (await bars.evaluateAll((rects) => rects.map((r) => [Number(r.getAttribute('data-bin')), Number(r.getAttribute('data-count'))]))) as number[][];
      assert.deepEqual(drawn, filled.map((b) => [b.i, b.count]));
      assert.equal(drawn.reduce((n, [, count]) => n + count, 0), withBaseline.report.metrics.regions);
      const fill = await bars.first().evaluate((r) => getComputedStyle(r).fill);
      assert.notEqual(fill, 'rgb(0, 0, 0)', 'the stylesheet colours the bars');
    }
    assert.equal(await view.page.locator('#reliability-bins tbody tr').count(), 15);
    await view.page.locator('#calibration').scrollIntoViewIfNeeded();
    await view.screenshot('evaluation-report-calibration');
    assert.deepEqual(view.problems, []);
  } finally {
    await view.close();
  }
});

test('two reports side by side: each one\'s totals and the change between their models', async () => {
  const view = await loadReport(wholeImage);
  try {
    const a = withBaseline.report.metrics;
    const b = wholeImage.report.metrics;
    const totals = await rowCells(view, '#table-regions tr.total');
    assert.deepEqual(totals, [
      'Total',
      String(a.total.regions),
      String(b.total.regions),
      pct(a.total.model.rate),
      pct(b.total.model.rate),
      signed((a.total.model.rate as number) - (b.total.model.rate as number)),
    ]);
    // The whole-image model is the first report's baseline: the change equals that report's difference.
    assert.equal(totals[5], signed((a.total.model.rate as number) - (a.total.baseline!.rate as number)));
    for (const row of a.byObject) {
      const other = b.byObject.find((r) => r.label === row.label)!;
      const cells = await rowCells(view, `#table-objects tbody tr:has(td:text-is("${row.label}"))`);
      assert.equal(cells[5], signed((row.model.rate as number) - (other.model.rate as number)), row.label);
    }
    assert.equal(await view.page.locator('.column').count(), 2);
    assert.equal(await view.page.locator('#heatmap-model').count(), 2);
    // The two models' calibration, each with its own temperature; a fall of the ECE is an improvement.
    const ca = a.calibration!.model;
    const cb = b.calibration!.model;
    const ece = await rowCells(view, '#table-calibration tbody tr >> nth=1');
    assert.deepEqual(ece, ['ECE with the temperature (%)', pct(ca.after!.ece), pct(cb.after!.ece), signed(ca.after!.ece! - cb.after!.ece!)]);
    const eceCell = view.page.locator('#table-calibration tbody tr >> nth=1').locator('td').nth(3);
    assert.equal(await eceCell.getAttribute('class'), `num ${ca.after!.ece! < cb.after!.ece! ? 'up' : 'down'}`);
    await view.screenshot('evaluation-report-compared');

    await view.page.locator('#stop-compare').click();
    await view.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === 'stopCompare');
    // The state names both folders, for the serializer after a window reload.
    assert.deepEqual(await view.state(), { folder: withBaseline.folder, compareFolder: wholeImage.folder });
    assert.deepEqual(view.problems, []);
  } finally {
    await view.close();
  }
});

test('the host reads only report.json files of the supported format, and no picture outside the dataset', () => {
  const folder = join(work, 'not-a-report');
  assert.throws(() => readReport(folder), /does not exist/);
  rmSync(folder, { recursive: true, force: true });
  execFileSync('mkdir', ['-p', folder]);
  writeFileSync(join(folder, 'report.json'), JSON.stringify({ ...withBaseline.report, schemaVersion: 2 }));
  assert.throws(() => readReport(folder), /report format 2/);
  writeFileSync(join(folder, 'report.json'), '{"hello": 1}');
  assert.throws(() => readReport(folder), /not an Anomaly Lens report/);

  const report: ReportJson = withBaseline.report;
  assert.ok(datasetFile(report, report.gallery[0].image, [work]));
  assert.equal(datasetFile(report, '../report/report.json', [work]), undefined);
  assert.equal(datasetFile(report, '/etc/passwd', [work]), undefined);
  const outside: ReportJson = {
    ...report,
    predictions: report.predictions.map((p, i) => (i === 0 ? { ...p, image: '../../../../../../etc/hostname', mask: '../report/report.json' } : p)),
    gallery: [{ image: '../../../../../../etc/hostname', region: report.predictions[0].region }],
  };
  assert.deepEqual(galleryPictures(outside, [work]), {});
});

test('a report the host cannot read is named on the page', async () => {
  const view = await openWebview('report', { theme: DARK_THEME });
  try {
    const ready = await view.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === 'ready');
    await view.send({ type: 'reply', id: ready.id, ok: false, error: '/x/report.json has report format 2; this version reads format 1' });
    await view.page.waitForSelector('p.error');
    assert.match(await view.page.innerText('p.error'), /report format 2/);
    assert.deepEqual(view.problems, []);
  } finally {
    await view.close();
  }
});
