import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { imageOfRegion } from '../../../extension/describe/maskLookup';
import { guessLayout, imageCandidates, layoutLabel, looksLikeMask, maskCandidates, orderPair } from '../../../server/dataset/readers/layouts';

const SAMPLE = join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'mvtec-sample', 'otx_hazelnut');

test('an MVTec test image finds its ground-truth mask on disk, and the mask its image', { skip: !existsSync(SAMPLE) }, () => {
  const name = readdirSync(join(SAMPLE, 'test', 'colour')).sort()[0];
  const image = join(SAMPLE, 'test', 'colour', name);
  const mask = maskCandidates(image).find(existsSync);
  assert.equal(mask, join(SAMPLE, 'ground_truth', 'colour', name.replace(/\.\w+$/, '_mask.png')));
  assert.ok(looksLikeMask(mask));
  assert.equal(imageCandidates(mask).find(existsSync), image);
  assert.deepEqual(orderPair(mask, image), { image, mask });
});

test('AnomalyDiffusion, VisA and folder layouts', () => {
  assert.ok(maskCandidates('/d/hazelnut/crack/image/7.png').includes('/d/hazelnut/crack/mask/7.png'));
  assert.ok(maskCandidates('/v/candle/Data/Images/Anomaly/001.JPG').includes('/v/candle/Data/Masks/Anomaly/001.png'));
  assert.ok(maskCandidates('/g/scratch/a.jpg').includes('/g/scratch/a_mask.jpg'));
  assert.ok(maskCandidates('/g/scratch/a.jpg').includes('/g/scratch/masks/a.png'));
  assert.ok(imageCandidates('/g/scratch/masks/a.png').includes('/g/scratch/a.jpg'));
  assert.ok(!looksLikeMask('/g/scratch/a.jpg'));
});

test("a dataset's region PNG leads to its record's image and region index", () => {
  const records = [
    { image: 'images/a.png', regions: [{ mask: 'regions/a_0.png' }] },
    { image: 'images/b.png', regions: [{ mask: 'regions/b_0.png' }, { mask: 'regions/b_1.png' }] },
  ];
  assert.deepEqual(imageOfRegion('/ds', '/ds/regions/b_1.png', records), { image: '/ds/images/b.png', index: 1 });
  assert.equal(imageOfRegion('/ds', '/ds/regions/c.png', records), undefined);
});

test('the layout guess names the MVTec sample, and AnomalyDiffusion, VisA and folder layouts', () => {
  const listing = (dirs: Record<string, string[]>, files: string[] = []) => ({ dirs: new Map(Object.entries(dirs)), files: new Set(files) });
  assert.equal(guessLayout(listing({ '': ['hazelnut'], hazelnut: ['test', 'ground_truth', 'train'] })), 'mvtec');
  assert.equal(guessLayout(listing({ '': ['test', 'train'] })), 'mvtec');
  assert.equal(guessLayout(listing({ '': ['hazelnut'], hazelnut: ['crack'], 'hazelnut/crack': ['image', 'mask'] })), 'anomalydiffusion');
  assert.equal(guessLayout(listing({ '': ['candle', 'split_csv'] }, ['split_csv/1cls.csv'])), 'visa');
  assert.equal(guessLayout(listing({ '': ['scratch'] })), 'generic');
  assert.equal(guessLayout(listing({ '': [] })), undefined);
  assert.equal(layoutLabel('mvtec'), 'MVTec AD');
});
