// Calibration metrics (reliability diagram, ECE, NLL, the temperature fit and the uncertainty
// threshold) on the real default model's answers to the real MVTec sample, checked against an
// independent oracle: scikit-learn's calibration_curve and scipy's bounded minimiser
// (fixtures/calibration_oracle.py).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type RegionScores,
  RELIABILITY_BINS,
  calibrateBundle,
  calibration,
  evaluate,
  expectedCalibrationError,
  fitTemperature,
  negativeLogLikelihood,
  reliabilityBins,
  selectiveAccuracy,
  topAnswers,
  uncertainThreshold,
} from '../../../server/eval';
import { loadBundle } from '../../../server/model';
import { REPO_ROOT, runCli } from './colourFixtures';

const SAMPLE = join(REPO_ROOT, '..', 'shared', 'data', 'mvtec-sample');
const DEFAULT_BUNDLE = join(REPO_ROOT, 'media', 'default-model');
const root = mkdtempSync(join(tmpdir(), 'al-calibration-'));
after(() => rmSync(root, { recursive: true, force: true }));

interface OracleReliability {
  accuracy: number[];
  confidence: number[];
  counts: number[];
  ece: number;
}
interface Oracle {
  fit: number;
  nll: { one: number; at: number; fit: number };
  reliability: { one: OracleReliability; at: OracleReliability };
  threshold: number;
}

function oracle(rows: readonly RegionScores[], temperature: number, target: number): Oracle {
  const py = spawnSync('/usr/bin/python3', [join(__dirname, 'fixtures', 'calibration_oracle.py')], {
    input: JSON.stringify({ rows, temperature, bins: RELIABILITY_BINS, target }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(py.status, 0, py.stderr);
  return JSON.parse(py.stdout) as Oracle;
}

function close(actual: number | null, expected: number, tolerance: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);
}

describe('calibration metrics on the default model and the real MVTec sample', () => {
  let rows: RegionScores[] = [];

  before(async () => {
    const dataset = join(root, 'dataset');
    const build = runCli(['build', SAMPLE, '--out', dataset, '--workers', '1', '--json']);
    assert.equal(build.code, 0, build.stderr);
    for (const split of ['train', 'val', 'test'] as const) {
      const evaluation = await evaluate({ dataset, split, bundle: DEFAULT_BUNDLE, candidates: 'all', topK: 1, threads: 1 }).catch(() => undefined);
      if (evaluation) rows = rows.concat(evaluation.scores.model);
    }
  });

  it('evaluates enough real regions, right and wrong, to say something', () => {
    const answers = topAnswers(rows);
    assert.ok(rows.length >= 25, `${rows.length} regions`);
    assert.ok(answers.some((a) => a.correct) && answers.some((a) => !a.correct), 'the sample has right and wrong answers');
  });

  it('bins the top answers as calibration_curve does and gives its ECE, at T = 1 and at another temperature', () => {
    const o = oracle(rows, 0.7, 0.95);
    for (const [temperature, expected] of [[1, o.reliability.one], [0.7, o.reliability.at]] as const) {
      const bins = reliabilityBins(topAnswers(rows, temperature));
      assert.equal(bins.length, 15);
      const filled = bins.filter((b) => b.count > 0);
      assert.deepEqual(filled.map((b) => b.count), expected.counts);
      filled.forEach((b, i) => {
        close(b.accuracy, expected.accuracy[i], 1e-12, `accuracy of bin ${i}`);
        close(b.confidence, expected.confidence[i], 1e-9, `confidence of bin ${i}`);
      });
      close(expectedCalibrationError(bins), expected.ece, 1e-9, `ECE at T=${temperature}`);
    }
  });

  it('fits the temperature that minimises the NLL, as scipy finds it', () => {
    const o = oracle(rows, 1, 0.95);
    const fit = fitTemperature(rows);
    assert.ok(fit);
    close(fit.temperature, o.fit, 1e-4 * o.fit, 'temperature');
    close(fit.nllBefore, o.nll.one, 1e-9, 'NLL at T=1');
    close(fit.nllAfter, o.nll.fit, 1e-9, 'NLL at the fitted T');
    assert.ok(fit.nllAfter <= fit.nllBefore + 1e-12);
    close(negativeLogLikelihood(rows, 1), o.nll.one, 1e-9, 'NLL');
  });

  it('chooses the lowest confidence above which the answers reach the target accuracy', () => {
    const fit = fitTemperature(rows);
    assert.ok(fit);
    for (const target of [0.8, 0.95, 0.99]) {
      const o = oracle(rows, fit.temperature, target);
      const answers = topAnswers(rows, fit.temperature);
      const threshold = uncertainThreshold(answers, target);
      close(threshold, o.threshold, 1e-12, `threshold for ${target}`);
      const stated = selectiveAccuracy(answers, threshold);
      if (threshold < 1) assert.ok((stated.accuracy ?? 0) >= target, `${stated.accuracy} at ${threshold}`);
    }
  });

  it('composes the report of one role: before, after and the answers stated', () => {
    const c = calibration(rows, 0.7, 0.5);
    assert.equal(c.binCount, 15);
    assert.equal(c.before.temperature, 1);
    assert.equal(c.after?.temperature, 0.7);
    assert.equal(c.before.bins.reduce((n, b) => n + b.count, 0), rows.length);
    assert.deepEqual(c.uncertain, selectiveAccuracy(topAnswers(rows, 0.7), 0.5));
    assert.equal(calibration(rows, undefined, 0.5).after, undefined);
  });
});

describe('calibration metrics on cases worked out by hand', () => {
  it('puts a confidence on a bin edge into the bin it closes, and 0 into the first', () => {
    const bins = reliabilityBins([
      { confidence: 0, correct: false },
      { confidence: 1 / 3, correct: true },
      { confidence: 1, correct: true },
    ]);
    assert.deepEqual(bins.map((b) => b.count).filter(Boolean), [1, 1, 1]);
    assert.equal(bins[0].count, 1);
    assert.equal(bins[4].count, 1, '1/3 = 5/15 closes the fifth bin (4/15, 5/15]');
    assert.equal(bins[14].count, 1);
    assert.equal(expectedCalibrationError(bins), (0 + (1 - 1 / 3) + 0) / 3);
    assert.equal(expectedCalibrationError(reliabilityBins([])), null);
  });

  it('drives the temperature to its lower end when every answer is right, and leaves out regions whose truth is no candidate', () => {
    const fit = fitTemperature([
      { logits: [3, 1, 0], truth: 0 },
      { logits: [0, 2, 1], truth: 1 },
      { logits: [5, 0, 0], truth: -1 },
    ]);
    assert.equal(fit?.regions, 2);
    assert.equal(fit?.temperature, 0.01);
    assert.equal(fitTemperature([{ logits: [1, 2], truth: -1 }]), null);
  });

  it('states every answer when all of them reach the target, and none when the most confident is wrong', () => {
    assert.equal(uncertainThreshold([{ confidence: 0.4, correct: true }, { confidence: 0.9, correct: true }]), 0);
    assert.equal(uncertainThreshold([{ confidence: 0.4, correct: true }, { confidence: 0.9, correct: false }]), 1);
    assert.equal(uncertainThreshold([{ confidence: 0.4, correct: false }, { confidence: 0.9, correct: true }], 0.95), 0.9);
  });
});

describe('calibrating a bundle after the fact', () => {
  it('fits the temperature and threshold on the validation split into bundle.json, and refuses the test split', async () => {
    const sample = join(root, 'generated');
    const dataset = join(root, 'generated-dataset');
    assert.equal(runCli(['sample', sample, '--scale', '0.05', '--json']).code, 0);
    const build = runCli(['build', join(sample, 'synthetic'), join(sample, 'mvtec'), '--out', dataset, '--workers', '1', '--json']);
    assert.equal(build.code, 0, build.stderr);
    const bundle = join(root, 'bundle');
    cpSync(DEFAULT_BUNDLE, bundle, { recursive: true });
    const before = JSON.parse(readFileSync(join(bundle, 'bundle.json'), 'utf8')) as Record<string, unknown>;
    delete before.calibration;
    writeFileSync(join(bundle, 'bundle.json'), JSON.stringify(before));

    await assert.rejects(calibrateBundle({ bundle, dataset, split: 'test' }), /use the val split/);
    const written = await calibrateBundle({ bundle, dataset, threads: 1 });
    const manifest = loadBundle(bundle).manifest;
    assert.deepEqual(manifest.calibration, written);
    const val = await evaluate({ dataset, split: 'val', bundle, candidates: 'all', topK: 1, threads: 1 });
    const fit = fitTemperature(val.scores.model);
    assert.ok(fit);
    assert.equal(written.temperature, fit.temperature);
    assert.equal(written.uncertainBelow, uncertainThreshold(topAnswers(val.scores.model, fit.temperature), 0.95));
    assert.equal(written.fittedOn?.split, 'val');
    assert.equal(written.fittedOn?.regions, val.scores.model.length);
  });
});
