// `anomaly-lens eval` reports calibration: with the embedded default model (which records a
// temperature and a threshold fitted on its validation split) on the real MVTec sample,
// report.json holds the reliability diagram and ECE before and after the temperature, report.md
// and report.html show them, and --uncertain-below moves the threshold; a bundle without a
// temperature is reported as it is.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectedCalibrationError, type ReportJson } from '../../../server/eval';
import { BLUE, RED, REPO_ROOT, type ImageSpec, makeColourBundle, runCli, writeColourDataset } from './colourFixtures';

const SAMPLE = join(REPO_ROOT, '..', 'shared', 'data', 'mvtec-sample');
const BUNDLE = JSON.parse(readFileSync(join(REPO_ROOT, 'media', 'default-model', 'bundle.json'), 'utf8')) as { calibration: { temperature: number; uncertainBelow: number } };
const root = mkdtempSync(join(tmpdir(), 'al-eval-calibration-'));
after(() => rmSync(root, { recursive: true, force: true }));
const dataset = join(root, 'dataset');

function evalReport(name: string, ...extra: string[]): { report: ReportJson; stdout: string; out: string } {
  const out = join(root, name);
  const run = runCli(['eval', '--dataset', dataset, '--out', out, '--threads', '1', ...extra]);
  assert.equal(run.code, 0, run.stderr);
  return { report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ReportJson, stdout: run.stdout, out };
}

describe('eval reports calibration', () => {
  let first: ReturnType<typeof evalReport>;

  before(() => {
    const build = runCli(['build', SAMPLE, '--out', dataset, '--workers', '1', '--json']);
    assert.equal(build.code, 0, build.stderr);
    first = evalReport('default');
  });

  it('report.json: the reliability diagram (15 bins with their regions) and ECE before and after the bundle\'s temperature', () => {
    const { report } = first;
    const c = report.metrics.calibration?.model;
    assert.ok(c?.after);
    assert.equal(c.binCount, 15);
    assert.equal(c.before.temperature, 1);
    assert.equal(c.after.temperature, BUNDLE.calibration.temperature);
    assert.deepEqual(report.inputs.model.calibration, BUNDLE.calibration);
    for (const at of [c.before, c.after]) {
      assert.equal(at.bins.length, 15);
      assert.equal(at.bins.reduce((n, b) => n + b.count, 0), report.metrics.regions);
      assert.equal(at.ece, expectedCalibrationError(at.bins));
      assert.ok(at.nll !== null && at.nll > 0);
    }
    // The predictions' probabilities are the calibrated ones: the bins' counts come from them.
    const after = c.after.bins;
    for (const [m, bin] of after.entries()) {
      const inBin = report.predictions.filter((p) => p.model[0].probability > bin.lower - 1e-12 && (p.model[0].probability <= bin.upper + 1e-12 || m === 14));
      assert.ok(Math.abs(inBin.length - bin.count) <= 1, `bin ${m}: ${inBin.length} predictions, ${bin.count} counted`);
    }
    assert.equal(c.uncertain.threshold, BUNDLE.calibration.uncertainBelow);
    const stated = report.predictions.filter((p) => p.model[0].probability >= BUNDLE.calibration.uncertainBelow);
    assert.equal(c.uncertain.answered, stated.length);
    assert.equal(c.uncertain.right, stated.filter((p) => p.model[0].text === p.truth).length);
  });

  it('report.md, report.html and the terminal show it', () => {
    const { report, stdout, out } = first;
    const c = report.metrics.calibration!.model;
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(md, /^## Calibration$/m);
    assert.match(md, new RegExp(`^\\| Model +\\| +${c.after!.temperature.toFixed(3)} \\| +${(c.before.ece! * 100).toFixed(2)} \\| +${(c.after!.ece! * 100).toFixed(2)} \\|`, 'm'));
    assert.match(md, /^## Reliability diagram \(model, with the temperature \d\.\d{3}\)$/m);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.equal(html.match(/<svg class="reliability"/g)?.length, 2);
    const filled = c.after!.bins.filter((b) => b.count > 0).length;
    const afterSvg = html.slice(html.lastIndexOf('<svg class="reliability"'));
    assert.equal(afterSvg.slice(0, afterSvg.indexOf('</svg>')).match(/<rect class="bar"/g)?.length, filled);
    assert.match(stdout, new RegExp(`^Calibration \\(model\\): ECE ${(c.before.ece! * 100).toFixed(2)} % before, ${(c.after!.ece! * 100).toFixed(2)} % with the temperature`, 'm'));
  });

  it('--uncertain-below sets the threshold the stated answers are counted at', () => {
    const { report } = evalReport('strict', '--uncertain-below', '0.99', '--json');
    const u = report.metrics.calibration!.model.uncertain;
    assert.equal(u.threshold, 0.99);
    assert.equal(u.answered, report.predictions.filter((p) => p.model[0].probability >= 0.99).length);
    assert.ok(u.answered < first.report.metrics.calibration!.model.uncertain.answered || first.report.metrics.calibration!.model.uncertain.answered === 0);
  });
});

describe('eval of a bundle without a temperature', () => {
  it('reports its probabilities as they are, with the default threshold', async () => {
    const images: ImageSpec[] = [
      { name: 'i1', object: 'widget', regions: [{ x: 0, y: 0, w: 6, h: 6, colour: RED, truth: 'crack in widget', defect: 'crack' }] },
      { name: 'i2', object: 'widget', regions: [{ x: 8, y: 8, w: 8, h: 8, colour: BLUE, truth: 'stain on widget', defect: 'stain' }] },
    ];
    const colours = join(root, 'colours');
    const bundle = join(root, 'colour-bundle');
    await Promise.all([writeColourDataset(colours, images), makeColourBundle(bundle)]);
    const out = join(root, 'colour-report');
    const run = runCli(['eval', '--dataset', colours, '--bundle', bundle, '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ReportJson;
    const c = report.metrics.calibration!.model;
    assert.equal(c.after, undefined);
    assert.equal(c.uncertain.threshold, 0.5);
    assert.match(run.stdout, /^Calibration \(model\): ECE \d+\.\d\d % \(the bundle records no temperature\)/m);
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /^## Reliability diagram \(model, without a temperature \(the bundle records none\)\)$/m);
  });
});
