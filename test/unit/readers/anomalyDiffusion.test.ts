import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readSource } from '../../../server/dataset/readers';
import { ANOMALYDIFFUSION_TREE } from '../../fixtures/makeSources';
import { problemsAbout, readClean, summary, treeMaker } from './helpers';

const tree = treeMaker('ad');

describe('AnomalyDiffusion reader', () => {
  it('pairs image/N with mask/N (JPEG or PNG), without split, with the object class map', async () => {
    const root = await tree(ANOMALYDIFFUSION_TREE);
    const ds = await readClean(root, 'anomalydiffusion');
    assert.deepEqual(summary(ds), [
      'hazelnut/crack/image/0.jpg | hazelnut/crack/mask/0.jpg | hazelnut crack -',
      'hazelnut/crack/image/1.jpg | hazelnut/crack/mask/1.jpg | hazelnut crack -',
      'hazelnut/print/image/0.jpg | hazelnut/print/mask/0.jpg | hazelnut print -',
      'tire/combined/image/0.png | tire/combined/mask/0.png | tire combined -',
    ]);
    for (const s of ds.samples) {
      if (s.object === 'tire') assert.deepEqual(s.classNames, { 253: 'hole', 254: 'cut' });
      else assert.equal(s.classNames, undefined);
    }
  });

  it('reads one object folder as the root', async () => {
    const root = await tree(ANOMALYDIFFUSION_TREE);
    const ds = await readSource(join(root, 'tire'));
    assert.equal(ds.kind, 'anomalydiffusion');
    assert.deepEqual(summary(ds), ['combined/image/0.png | combined/mask/0.png | tire combined -']);
    assert.deepEqual(ds.samples[0].classNames, { 253: 'hole', 254: 'cut' });
  });

  it('reports unmatched, duplicate and empty files and folders without image/', async () => {
    const root = await tree({
      'nut/crack/image/0.jpg': 'image',
      'nut/crack/image/1.jpg': 'image',
      'nut/crack/image/2.jpg': 'image',
      'nut/crack/image/2.png': 'image',
      'nut/crack/image/3.jpg': 'empty',
      'nut/crack/mask/0.jpg': 'mask',
      'nut/crack/mask/2.jpg': 'mask',
      'nut/crack/mask/3.jpg': 'mask',
      'nut/crack/mask/7.jpg': 'mask',
      'nut/stray/readme.txt': { text: 'x' },
      'nut/good/image/0.jpg': 'image',
    });
    const ds = await readSource(root);
    assert.deepEqual(summary(ds), ['nut/crack/image/0.jpg | nut/crack/mask/0.jpg | nut crack -', 'nut/good/image/0.jpg | - | nut good -']);
    assert.deepEqual(
      ds.problems.map((p) => [p.file.slice(root.length + 1), p.other?.slice(root.length + 1), p.message.replace(/[:;(].*/, '')]),
      [
        ['nut/crack/image/1.jpg', 'nut/crack/mask/1.jpg', 'image without mask'],
        ['nut/crack/image/2.jpg', 'nut/crack/image/2.png', '2 files share the name "2" '],
        ['nut/crack/image/3.jpg', undefined, 'empty file '],
        ['nut/crack/mask/7.jpg', 'nut/crack/image/7.jpg', 'mask without image'],
        ['nut/stray', undefined, 'no image/ folder '],
      ],
    );
    assert.equal(problemsAbout(ds, 'nut/stray')[0].severity, 'warning');
  });
});
