// `anomaly-lens eval` without --bundle evaluates the embedded default model (media/default-model),
// as `describe` does: the real default model on a small dataset of flat-colour regions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportJson } from '../../../server/eval';
import { BLUE, RED, REPO_ROOT, type ImageSpec, runCli, writeColourDataset } from './colourFixtures';

const IMAGES: ImageSpec[] = [
  { name: 'i1', object: 'widget', regions: [{ x: 0, y: 0, w: 6, h: 6, colour: RED, truth: 'crack in widget', defect: 'crack' }] },
  { name: 'i2', object: 'widget', regions: [{ x: 8, y: 8, w: 8, h: 8, colour: BLUE, truth: 'stain on widget', defect: 'stain' }] },
];

const root = mkdtempSync(join(tmpdir(), 'al-eval-default-'));
after(() => rmSync(root, { recursive: true, force: true }));
const dataset = join(root, 'dataset');

before(async () => {
  await writeColourDataset(dataset, IMAGES);
});

describe('anomaly-lens eval without --bundle', () => {
  it('evaluates the embedded default model and records it in the report', () => {
    const out = join(root, 'report');
    const run = runCli(['eval', '--dataset', dataset, '--out', out, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ReportJson;
    assert.equal(report.inputs.model.dir, join(REPO_ROOT, 'media', 'default-model'));
    assert.equal(report.predictions.length, 2);
    assert.equal(report.metrics.total.model.total, 2);
  });

  it('says so in its help', () => {
    const run = runCli(['eval', '--help']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout.replace(/\s+/g, ' '), /--bundle <dir> the model bundle to evaluate \(default: the embedded default model\)/);
  });
});
