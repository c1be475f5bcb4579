// The sample's image counts per scale, as the extension offers them, against the plan the
// generator draws.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SAMPLE_OBJECTS } from '../../../server/sample/catalog';
import { SAMPLE_OBJECT_COUNT, sampleImageCounts } from '../../../server/sample/defaults';
import { planSample } from '../../../server/sample/plan';

test("the sample's object count is the catalog's", () => {
  assert.equal(SAMPLE_OBJECT_COUNT, SAMPLE_OBJECTS.length);
});

test('sampleImageCounts gives the images of each layout that the plan of that scale holds', () => {
  for (const scale of [0.01, 0.1, 0.25, 0.5, 1, 2, 2.5]) {
    const plan = planSample({ seed: 1, scale, size: 128 });
    const counts = sampleImageCounts(scale);
    assert.equal(counts.synthetic, plan.filter((i) => i.layout === 'synthetic').length, `synthetic at ${scale}`);
    assert.equal(counts.mvtec, plan.filter((i) => i.layout === 'mvtec').length, `mvtec at ${scale}`);
  }
});
