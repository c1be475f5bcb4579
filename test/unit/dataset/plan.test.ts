import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRole, parseSourceSpec, roleSplits } from '../../../server/dataset/roles';
import { planBuild, safeComponent } from '../../../server/dataset/plan';
import type { SourceDataset, SourceSample } from '../../../server/dataset/types';

const none = () => false;

test('a source suffix chooses its role and layout; an existing path is never split', () => {
  assert.deepEqual(parseSourceSpec('/data/ad:train+val', none), { root: '/data/ad', role: 'train+val' });
  assert.deepEqual(parseSourceSpec('/data/mvtec:test', none), { root: '/data/mvtec', role: 'test' });
  assert.deepEqual(parseSourceSpec('/data/x:generic:val', none), { root: '/data/x', role: 'val', kind: 'generic' });
  assert.deepEqual(parseSourceSpec('/data/x:val:visa', none), { root: '/data/x', role: 'val', kind: 'visa' });
  assert.deepEqual(parseSourceSpec('/data/x', none), { root: '/data/x' });
  assert.deepEqual(parseSourceSpec('/data/x:nonsense', none), { root: '/data/x:nonsense' });
  assert.deepEqual(parseSourceSpec('C:\\data\\x', none), { root: 'C:\\data\\x' });
  assert.deepEqual(parseSourceSpec('/data/odd:test', (p) => p === '/data/odd:test'), { root: '/data/odd:test' });
});

test('synthetic data trains and validates; every other layout tests', () => {
  assert.equal(defaultRole('anomalydiffusion'), 'train+val');
  for (const kind of ['mvtec', 'visa', 'generic'] as const) assert.equal(defaultRole(kind), 'test');
  assert.deepEqual(roleSplits('train+val'), ['train', 'val']);
  assert.deepEqual(roleSplits('test'), ['test']);
});

test('path components from folder names cannot climb out of the output', () => {
  assert.equal(safeComponent('metal_nut'), 'metal_nut');
  assert.equal(safeComponent('..'), '_');
  assert.equal(safeComponent('a/b'), 'a_b');
  assert.equal(safeComponent('a\\..\\b'), 'a_.._b');
  assert.equal(safeComponent(''), '_');
});

function source(kind: SourceDataset['kind'], root: string, samples: SourceSample[], problems: SourceDataset['problems'] = []): SourceDataset {
  return { kind, root, samples, problems };
}

test('the plan counts normal images, splits synthetic ones and names outputs without collisions', () => {
  const ad = source('anomalydiffusion', '/ad', [
    ...Array.from({ length: 10 }, (_, i) => ({ image: `/ad/hazelnut/crack/image/${i}.jpg`, mask: `/ad/hazelnut/crack/mask/${i}.jpg`, object: 'hazelnut', defect: 'crack' })),
  ]);
  const mvtec = source(
    'mvtec',
    '/mv',
    [
      { image: '/mv/hazelnut/train/good/000.png', object: 'hazelnut', defect: 'good', split: 'train-good' },
      { image: '/mv/hazelnut/test/good/000.png', object: 'hazelnut', defect: 'good', split: 'test' },
      { image: '/mv/hazelnut/test/crack/000.png', mask: '/mv/hazelnut/ground_truth/crack/000_mask.png', object: 'hazelnut', defect: 'crack', split: 'test' },
      { image: '/mv/hazelnut/test/crack/000.jpg', mask: '/mv/hazelnut/ground_truth/crack/000_mask.jpg', object: 'hazelnut', defect: 'crack', split: 'test' },
      { image: '/mv/hazelnut/test/crack/001.png', object: 'hazelnut', defect: 'crack', split: 'test' },
      { image: '/mv/hazelnut/test/crack/002.png', object: 'hazelnut', defect: 'crack', split: 'test' },
    ],
    [{ file: '/mv/hazelnut/test/crack/002.png', message: 'image without mask', severity: 'error' }],
  );
  const plan = planBuild(
    [
      { dataset: ad, role: 'train+val' },
      { dataset: mvtec, role: 'test' },
    ],
    { valRatio: 0.3, seed: 0 },
  );
  assert.deepEqual(plan.goodImages, { hazelnut: 2 });
  assert.deepEqual(plan.anomalousPerSource, [10, 2]);
  assert.deepEqual(plan.goodPerSource, [0, 2]);
  // 001.png has no mask and the reader did not say so: the plan does; 002.png is the reader's.
  assert.deepEqual(plan.problems.map((p) => p.file), ['/mv/hazelnut/test/crack/001.png']);
  const splits = plan.jobs.map((j) => j.split);
  assert.equal(splits.filter((s) => s === 'val').length, 3);
  assert.equal(splits.filter((s) => s === 'train').length, 7);
  assert.equal(splits.filter((s) => s === 'test').length, 2);
  const test = plan.jobs.filter((j) => j.split === 'test');
  assert.deepEqual(
    test.map((j) => [j.destImage, j.destMaskStem]),
    [
      ['images/test/hazelnut/crack/000.png', 'masks/test/hazelnut/crack/000'],
      ['images/test/hazelnut/crack/000-2.jpg', 'masks/test/hazelnut/crack/000-2'],
    ],
  );
  const trainJob = plan.jobs.find((j) => j.split === 'train');
  assert.match(trainJob?.destImage ?? '', /^images\/train\/hazelnut\/crack\/\d\.jpg$/);
});
