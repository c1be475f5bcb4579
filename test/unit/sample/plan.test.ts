import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SAMPLE_OBJECTS } from '../../../server/sample/catalog';
import { apportion, BASE_COUNTS, planSample, REGION_COUNT_WEIGHTS, regionDefects, scaledCount } from '../../../server/sample/plan';
import { Random } from '../../../server/sample/random';

test('apportion splits a total exactly, each share within one of its exact value', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 5000 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 9 }), (total, weights) => {
      const counts = apportion(total, weights);
      assert.equal(counts.reduce((s, c) => s + c, 0), total);
      const sum = weights.reduce((s, w) => s + w, 0);
      counts.forEach((c, i) => assert.ok(Math.abs(c - (total * weights[i]) / sum) < 1));
    }),
  );
});

test('the default plan: counts per object and layout, region counts 1–7 in the planned proportions', () => {
  const plan = planSample({ seed: 1, scale: 1, size: 128 });
  for (const object of SAMPLE_OBJECTS) {
    const mine = plan.filter((i) => i.object === object);
    const synthetic = mine.filter((i) => i.layout === 'synthetic');
    assert.equal(synthetic.length, BASE_COUNTS.synthetic);
    assert.ok(synthetic.every((i) => i.defects.length > 0 && i.split === undefined));
    const test = mine.filter((i) => i.layout === 'mvtec' && i.split === 'test');
    assert.equal(test.filter((i) => i.folder !== 'good').length, BASE_COUNTS.mvtecTest);
    assert.equal(test.filter((i) => i.folder === 'good').length, BASE_COUNTS.mvtecTestGood);
    const train = mine.filter((i) => i.layout === 'mvtec' && i.split === 'train');
    assert.equal(train.length, BASE_COUNTS.mvtecTrainGood);
    assert.ok(train.every((i) => i.folder === 'good' && i.defects.length === 0));
    const histogram = REGION_COUNT_WEIGHTS.map((_, n) => synthetic.filter((i) => i.defects.length === n + 1).length);
    assert.deepEqual(histogram, apportion(BASE_COUNTS.synthetic, REGION_COUNT_WEIGHTS));
    for (const image of mine) assert.ok(image.defects.every((d) => object.defects.includes(d)));
  }
  const anomalous = plan.filter((i) => i.defects.length > 0);
  const multi = anomalous.filter((i) => i.defects.length > 1);
  const combined = anomalous.filter((i) => i.folder === 'combined');
  assert.ok(combined.length > multi.length * 0.45 && combined.length < multi.length * 0.75, `${combined.length} of ${multi.length} multi-region images mix types`);
  assert.ok(combined.every((i) => new Set(i.defects).size >= 2));
  assert.ok(anomalous.filter((i) => i.folder !== 'combined').every((i) => i.defects.every((d) => d === i.folder)));
});

test('folders are numbered from 0 without gaps and every image has its own seed', () => {
  const plan = planSample({ seed: 4, scale: 0.5, size: 128 });
  const byFolder = new Map<string, number[]>();
  for (const image of plan) {
    const key = [image.layout, image.object.name, image.split, image.folder].join('/');
    byFolder.set(key, [...(byFolder.get(key) ?? []), image.index]);
  }
  for (const [key, indices] of byFolder) assert.deepEqual(indices, indices.map((_, i) => i), key);
  assert.equal(new Set(plan.map((i) => i.seed)).size, plan.length);
});

test('the plan depends on the seed and scale only as intended', () => {
  const summary = (seed: number) => planSample({ seed, scale: 0.3, size: 128 }).map((i) => `${i.layout}/${i.object.name}/${i.folder}/${i.index}:${i.defects.join('+')}:${i.seed}`);
  assert.deepEqual(summary(3), summary(3));
  assert.notDeepEqual(summary(3), summary(4));
  assert.equal(planSample({ seed: 1, scale: 0.01, size: 128 }).filter((i) => i.layout === 'synthetic').length, SAMPLE_OBJECTS.length * scaledCount(BASE_COUNTS.synthetic, 0.01));
  assert.equal(scaledCount(240, 0.001), 1);
  assert.equal(scaledCount(240, 2.5), 600);
});

test('regionDefects: mixed images have at least two types, the others one', () => {
  const rng = new Random(8);
  for (const object of SAMPLE_OBJECTS) {
    for (let n = 2; n <= 7; n++) {
      for (let t = 0; t < 30; t++) {
        assert.ok(new Set(regionDefects(rng, object, n, true)).size >= 2);
        assert.equal(new Set(regionDefects(rng, object, n, false)).size, 1);
      }
    }
  }
});
