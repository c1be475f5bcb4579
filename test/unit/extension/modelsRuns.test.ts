import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { arrangeModels, modelChildren, parseBundle, presentModel, type ModelNode } from '../../../extension/models/model';
import { mergeRuns, parseRun, presentRun, type DiskRun } from '../../../extension/runs/model';
import type { JobInfo } from '../../../server/rpc/protocol';

const ROOT = join(__dirname, '..', '..', '..');
const embeddedText = readFileSync(join(ROOT, 'media', 'default-model', 'bundle.json'), 'utf8');
const embedded = JSON.parse(embeddedText) as { size: string; imageSize: number; descriptions: string[]; provenance: { metrics: { valAccuracy: number; bestEpoch: number } } };

test('the embedded bundle shows its base, input size, descriptions and the metrics recorded at export', () => {
  const node = parseBundle('/ext/media/default-model', 'default model (embedded)', embeddedText, true);
  assert.equal(node.kind, 'model');
  const [arranged] = arrangeModels([node], undefined);
  const p = presentModel(arranged);
  assert.match(p.description ?? '', new RegExp(`^default · ${embedded.size} ${embedded.imageSize}px · ${embedded.descriptions.length} descriptions · val ${(embedded.provenance.metrics.valAccuracy * 100).toFixed(1)}%$`));
  assert.equal(p.contextValue, 'anomalyLens.model.default.embedded');
  const children = modelChildren(arranged);
  const details = Object.fromEntries(children.filter((c) => c.kind === 'detail').map((c) => [(c as { label: string }).label, (c as { value: string }).value]));
  assert.equal(details['input size'], `${embedded.imageSize} × ${embedded.imageSize}`);
  assert.equal(details['best epoch'], String(embedded.provenance.metrics.bestEpoch));
  const list = children.find((c) => c.kind === 'descriptions') as ModelNode;
  assert.deepEqual(modelChildren(list).map((d) => (d as { text: string }).text), embedded.descriptions);
});

test('a configured default bundle takes the mark from the embedded one; broken bundles say why', () => {
  const workspace = parseBundle('/ws/runs/a/bundle', 'runs/a/bundle', embeddedText);
  const nodes = arrangeModels([workspace, parseBundle('/ext/m', 'default model (embedded)', embeddedText, true), parseBundle('/ws/x', 'x', '{"formatVersion": 2}')], '/ws/runs/a/bundle/');
  assert.deepEqual(nodes.map((n) => [n.kind, n.kind === 'model' ? n.isDefault : undefined]), [['model', false], ['model', true], ['invalid', undefined]]);
  assert.match(presentModel(nodes[2]).tooltip, /format version 2/);
  assert.equal(parseBundle('/b', 'b', '{').kind, 'invalid');
});

const runJson = JSON.stringify({ format: 'anomaly-lens-run', version: 1, config: { dataset: '/ws/datasets/s', base: 'tiny', epochs: 3 }, model: { size: 'tiny' } });

function job(partial: Partial<JobInfo> & Pick<JobInfo, 'id' | 'state'>): JobInfo {
  return { kind: 'train', title: `Train tiny ${partial.id}`, gpu: false, queuedAt: '2026-01-01T00:00:00Z', ...partial };
}

test('run folders get their status from disk, or from the job writing them', () => {
  const finished = parseRun('/ws/runs/done', 'runs/done', runJson, { hasCheckpoint: true, bundle: '/ws/runs/done/bundle', bundleJson: embeddedText });
  const stopped = parseRun('/ws/runs/stopped', 'runs/stopped', runJson, { hasCheckpoint: true });
  const live = parseRun('/ws/runs/live', 'runs/live', runJson, { hasCheckpoint: false });
  assert.equal(finished.dataset, '/ws/datasets/s');
  assert.equal(finished.metrics?.valAccuracy, embedded.provenance.metrics.valAccuracy);
  const report: DiskRun = { kind: 'evaluate', folder: '/ws/reports/r', name: 'reports/r', hasHtml: true };
  const running = job({ id: 'j1', state: 'running', output: '/ws/runs/live/', lastEvent: { type: 'eval', epoch: 2, step: 40, val_accuracy: 0.8125, val_loss: 0.5, samples: 10, best: true } });
  const queued = job({ id: 'j2', state: 'queued', kind: 'evaluate', title: 'Evaluate x', output: '/ws/reports/new', queuedAt: '2026-01-02T00:00:00Z' });
  const oldBuild = job({ id: 'j3', state: 'finished', kind: 'buildDataset', title: 'Build d' });
  const entries = mergeRuns([finished, stopped, live, report], [running, queued, oldBuild]);
  assert.deepEqual(entries.map((e) => [e.name, e.status]), [
    ['Evaluate x', 'queued'],
    ['runs/live', 'running'],
    ['reports/r', 'finished'],
    ['runs/done', 'finished'],
    ['runs/stopped', 'stopped'],
  ]);
  const p = presentRun(entries[1]);
  assert.equal(p.description, 'running · epoch 2 · step 40 · val 81.3%');
  assert.match(p.contextValue, /\btrain\b.*\bactive\b/);
  assert.match(presentRun(entries[4]).contextValue, /\bresumable\b/);
  assert.match(presentRun(entries[3]).description, /^finished · best val \d+\.\d% \(epoch \d+\)$/);
});

test('a failed job keeps its error in the tooltip, a cancelled one its status', () => {
  const stopped = parseRun('/ws/runs/s', 'runs/s', runJson, { hasCheckpoint: true });
  const [entry] = mergeRuns([stopped], [job({ id: 'j', state: 'failed', output: '/ws/runs/s', error: { message: 'CUDA out of memory', kind: 'internal' } })]);
  assert.equal(entry.status, 'failed');
  assert.match(presentRun(entry).tooltip, /error: CUDA out of memory/);
  const [c] = mergeRuns([stopped], [job({ id: 'k', state: 'cancelled', output: '/ws/runs/s' })]);
  assert.equal(c.status, 'cancelled');
  assert.match(presentRun(c).contextValue, /resumable/);
});
