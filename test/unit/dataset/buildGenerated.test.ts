// End to end on a generated sample: the synthetic (AnomalyDiffusion) layout feeds train/val,
// the MVTec layout feeds test, and the built statistics agree with what the generator drew.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageRecord } from '../../../server/dataset/format';
import { validationCount } from '../../../server/dataset/splits';
import { regionBucket } from '../../../server/dataset/stats';
import { buildJson, ensureBuilt, readJsonl, runCli } from './cli';
import { withTempDir } from './fixtures';

interface LayoutCounts {
  anomalous: number;
  good: number;
  regions: number;
  byRegionCount: Record<string, number>;
  regionsByDefect: Record<string, number>;
}

before(ensureBuilt);

function bucketed(byRegionCount: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [n, count] of Object.entries(byRegionCount)) if (count > 0) out[regionBucket(Number(n))] = (out[regionBucket(Number(n))] ?? 0) + count;
  return out;
}

function histogram(records: readonly ImageRecord[]): { buckets: Record<string, number>; defects: Record<string, number> } {
  const buckets: Record<string, number> = {};
  const defects: Record<string, number> = {};
  for (const r of records) {
    buckets[regionBucket(r.regions.length)] = (buckets[regionBucket(r.regions.length)] ?? 0) + 1;
    for (const g of r.regions) defects[g.defect] = (defects[g.defect] ?? 0) + 1;
  }
  return { buckets, defects };
}

const sorted = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

test('a generated sample builds into train/val (synthetic) and test (MVTec) matching what was drawn', async () => {
  await withTempDir('generated', async (dir) => {
    const sample = join(dir, 'sample');
    const out = join(dir, 'ds');
    const gen = runCli(['sample', sample, '--scale', '0.1', '--seed', '5', '--json']);
    assert.equal(gen.code, 0, gen.stderr);
    const drawn = JSON.parse(readFileSync(join(sample, 'sample.json'), 'utf8')) as { counts: Record<'synthetic' | 'mvtec', LayoutCounts> };

    const { code, result, stderr } = buildJson([join(sample, 'synthetic'), join(sample, 'mvtec'), '--out', out, '--val-ratio', '0.29', '--seed', '3']);
    assert.equal(code, 0, stderr);
    assert.equal(result.errors, 0, JSON.stringify(result.problems.slice(0, 5)));

    const train = readJsonl<ImageRecord>(join(out, 'train.jsonl'));
    const val = readJsonl<ImageRecord>(join(out, 'val.jsonl'));
    const test = readJsonl<ImageRecord>(join(out, 'test.jsonl'));
    assert.equal(train.length + val.length, drawn.counts.synthetic.anomalous);
    assert.equal(test.length, drawn.counts.mvtec.anomalous);

    const trainVal = histogram([...train, ...val]);
    assert.deepEqual(sorted(trainVal.buckets), sorted(bucketed(drawn.counts.synthetic.byRegionCount)));
    assert.deepEqual(sorted(trainVal.defects), sorted(drawn.counts.synthetic.regionsByDefect));
    const testHist = histogram(test);
    assert.deepEqual(sorted(testHist.buckets), sorted(bucketed(drawn.counts.mvtec.byRegionCount)));
    assert.deepEqual(sorted(testHist.defects), sorted(drawn.counts.mvtec.regionsByDefect));

    // Stratified by object/defect folder: each class splits by its own ratio.
    const perClass = new Map<string, { train: number; val: number }>();
    for (const [split, records] of [['train', train], ['val', val]] as const) {
      for (const r of records) {
        const key = `${r.object}/${r.defect}`;
        const c = perClass.get(key) ?? { train: 0, val: 0 };
        c[split]++;
        perClass.set(key, c);
      }
    }
    assert.ok(perClass.size > 1);
    for (const [key, c] of perClass) assert.equal(c.val, validationCount(c.train + c.val, 0.29), key);

    const manifest = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8'));
    const good = Object.values(manifest.goodImages as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.equal(good, drawn.counts.mvtec.good + drawn.counts.synthetic.good);
    assert.deepEqual(manifest.sources.map((s: { kind: string; splits: string[] }) => [s.kind, s.splits.join('+')]), [
      ['anomalydiffusion', 'train+val'],
      ['mvtec', 'test'],
    ]);
    assert.equal(runCli(['validate', out]).code, 0);

    // Another split seed moves images between train and val only; the test images are reused.
    const reseeded = buildJson([join(sample, 'synthetic'), join(sample, 'mvtec'), '--out', out, '--seed', '4']);
    const val2 = readJsonl<ImageRecord>(join(out, 'val.jsonl'));
    assert.equal(reseeded.result.counts.val.images, val.length);
    assert.notDeepEqual(val2.map((r) => r.image), val.map((r) => r.image));
    assert.ok(reseeded.result.images.cached >= test.length, `${reseeded.result.images.cached} reused`);
    assert.equal(runCli(['validate', out]).code, 0);

    // A synthetic source can be forced into test.
    const forced = buildJson([`${join(sample, 'synthetic')}:test`, '--out', join(dir, 'ds3')]);
    assert.equal(forced.result.counts.test.images, drawn.counts.synthetic.anomalous);
    assert.equal(forced.result.counts.train.images + forced.result.counts.val.images, 0);
  });
});
