// Evaluation with a real AlphaCLIP bundle: the shared MVTec-style sample is built into a
// dataset with `anomaly-lens build`, a random tiny AlphaCLIP is exported with the trainer's
// code, and every cosine and answer of `anomaly-lens eval` (onnxruntime-node, TypeScript
// preprocessing, batches spanning images) must match PyTorch with the trainer's preprocessing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetManifest } from '../../../server/dataset/format';
import type { ReportJson } from '../../../server/eval';
import { ClipTokenizer, learnMerges, writeMergesFile, writeTokenFile } from '../../../server/model/tokenizer';
import { REPO_ROOT, runCli } from './colourFixtures';

const SAMPLE = join(REPO_ROOT, '..', 'shared', 'data', 'mvtec-sample');
const root = mkdtempSync(join(tmpdir(), 'al-eval-alphaclip-'));
after(() => rmSync(root, { recursive: true, force: true }));

interface Reference {
  bundle: string;
  descriptions: string[];
  regions: { image: string; region: number; cosines: number[] }[];
}

describe('eval with an exported AlphaCLIP bundle', () => {
  const dataset = join(root, 'dataset');
  let reference: Reference;
  let report: ReportJson;

  before(async () => {
    const build = runCli(['build', SAMPLE, '--out', dataset, '--workers', '1', '--json']);
    assert.equal(build.code, 0, build.stderr);
    const manifest = JSON.parse(readFileSync(join(dataset, 'dataset.json'), 'utf8')) as DatasetManifest;
    const texts = manifest.descriptions.map((d) => d.text);
    const merges = learnMerges(texts, 40);
    const mergesFile = join(root, 'merges.txt.gz');
    await writeMergesFile(mergesFile, merges);
    const tokens = join(root, 'tokens.json');
    await writeTokenFile(texts, new ClipTokenizer(merges), tokens);
    const script = join(__dirname, 'fixtures', 'alphaclip_reference.py');
    const py = spawnSync('/usr/bin/python3', [script, '--out', root, '--tokens', tokens, '--merges', mergesFile, '--dataset', dataset], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: join(REPO_ROOT, 'server', 'trainer') },
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(py.status, 0, py.stderr);
    reference = JSON.parse(py.stdout.trim().split('\n').pop() as string) as Reference;

    const out = join(root, 'report');
    const run = runCli(['eval', '--dataset', dataset, '--bundle', reference.bundle, '--out', out, '--top', '4', '--batch', '7', '--threads', '1']);
    assert.equal(run.code, 0, run.stderr);
    report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ReportJson;
  });

  it('evaluates every region of the sample', () => {
    assert.ok(reference.regions.length > 25, `${reference.regions.length} regions`);
    assert.deepEqual(report.predictions.map((p) => [p.image, p.region]), reference.regions.map((r) => [r.image, r.region]));
    assert.equal(report.inputs.candidates.count, reference.descriptions.length);
  });

  it('gives the cosines and answers PyTorch gives on the same weights', () => {
    let maxDiff = 0;
    let compared = 0;
    report.predictions.forEach((p, i) => {
      const cosines = reference.regions[i].cosines;
      for (const answer of p.model) {
        const k = reference.descriptions.indexOf(answer.text);
        maxDiff = Math.max(maxDiff, Math.abs(answer.cosine - cosines[k]));
      }
      const sorted = [...cosines].sort((a, b) => b - a);
      if (sorted[0] - sorted[1] > 1e-4) {
        compared++;
        assert.equal(p.model[0].text, reference.descriptions[cosines.indexOf(sorted[0])], `${p.image} region ${p.region}`);
      }
    });
    assert.ok(maxDiff < 1e-4, `max |cos ORT - cos PyTorch| = ${maxDiff}`);
    assert.ok(compared > reference.regions.length / 2, `${compared} answers compared`);
    // Random weights still tell regions apart: the answers are not one constant description.
    assert.ok(new Set(report.predictions.map((p) => p.model[0].text)).size > 1);
  });

  it('computes the accuracy of exactly those answers', () => {
    const right = report.predictions.filter((p) => p.model[0].text === p.truth).length;
    assert.deepEqual(report.metrics.total.model, { correct: right, total: report.predictions.length, rate: right / report.predictions.length });
  });
});
