import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readSource } from '../../../server/dataset/readers';
import { GENERIC_TREE } from '../../fixtures/makeSources';
import { problemsAbout, readClean, summary, treeMaker } from './helpers';

const tree = treeMaker('generic');

describe('generic folder reader', () => {
  it('reads <object>/<defect>/ folders with every mask convention and good/ok/normal folders', async () => {
    const root = await tree(GENERIC_TREE);
    const ds = await readClean(root, 'generic');
    assert.deepEqual(summary(ds), [
      'nut/normal/g.jpeg | - | nut good -',
      'nut/rust/f.webp | nut/rust/ground_truth/f_mask.png | nut rust -',
      'screw/OK/e.tif | - | screw good -',
      'screw/dent/c.png | screw/dent/masks/c.png | screw dent -',
      'screw/good/d.png | - | screw good -',
      'screw/scratch/a.png | screw/scratch/a_mask.png | screw scratch -',
      'screw/scratch/b.jpg | screw/scratch/b.mask.png | screw scratch -',
    ]);
  });

  it('reads <defect>/ folders right under the root as one object named after the root, with its class map', async () => {
    const root = await tree({
      'scratch/a.png': 'image',
      'scratch/a_mask.png': 'mask',
      'good/b.png': 'image',
      'class_ids.json': { text: '{"0": "good", "1": "scratch", "2": "dent"}' },
    });
    const ds = await readSource(root);
    assert.equal(ds.kind, 'generic');
    const object = root.split(/[\\/]/).pop();
    assert.deepEqual(summary(ds), [`good/b.png | - | ${object} good -`, `scratch/a.png | scratch/a_mask.png | ${object} scratch -`]);
    assert.ok(ds.samples.every((s) => s.classNames?.[1] === 'scratch' && s.classNames[2] === 'dent'));
  });

  it('reports unmatched files, two masks for one image, images in the root and stray sub-folders', async () => {
    const root = await tree({
      'stray.png': 'image',
      'obj/cut/a.png': 'image',
      'obj/cut/b.png': 'image',
      'obj/cut/c_mask.png': 'mask',
      'obj/cut/d.png': 'image',
      'obj/cut/d_mask.png': 'mask',
      'obj/cut/masks/d.png': 'mask',
      'obj/cut/masks/b.png': 'mask',
      'obj/cut/extra/z.png': 'image',
      'obj/hole/e.png': 'image',
      'obj/empty': 'dir',
    });
    const ds = await readSource(root);
    assert.deepEqual(summary(ds), ['obj/cut/b.png | obj/cut/masks/b.png | obj cut -']);
    const rel = (p?: string) => p?.slice(root.length + 1);
    assert.deepEqual(
      ds.problems.map((p) => [rel(p.file), rel(p.other), p.severity]),
      [
        ['obj/cut/a.png', 'obj/cut/masks/a.png', 'error'],
        ['obj/cut/c_mask.png', 'obj/cut/c.png', 'error'],
        ['obj/cut/d_mask.png', 'obj/cut/masks/d.png', 'error'],
        ['obj/cut/extra', undefined, 'warning'],
        ['obj/empty', undefined, 'warning'],
        ['obj/hole/e.png', 'obj/hole/e_mask.png', 'error'],
        ['stray.png', undefined, 'warning'],
      ],
    );
    assert.match(problemsAbout(ds, 'obj/cut/d_mask.png')[0].message, /2 files share the name "d" \(d_mask\.png, d\.png\)/);
    assert.match(problemsAbout(ds, 'stray.png')[0].message, /1 image\(s\) directly in the dataset root are ignored/);
    assert.ok(problemsAbout(ds, 'obj/hole/e.png')[0].message.includes(join(root, 'obj/hole/e_mask.png')));
  });
});
