// Symbolic links in a source dataset: followed while they stay inside the source folder,
// refused (with one warning naming the link) when they lead out of it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readSource } from '../../../server/dataset/readers';
import { VISA_TREE } from '../../fixtures/makeSources';
import { problemsAbout, readUnchanged, summary, treeMaker } from './helpers';

const tree = treeMaker('symlinks');

describe('symbolic links in a source dataset', () => {
  it('ignores an image or mask whose link leads outside the source, with a warning naming the link', async () => {
    const outside = await tree({ 'secret.png': 'image', 'secret_mask.png': 'mask' });
    const root = await tree({
      'obj/cut/a.png': 'image',
      'obj/cut/a_mask.png': 'mask',
      'obj/cut/b.png': { symlink: join(outside, 'secret.png') },
      'obj/cut/b_mask.png': 'mask',
      'obj/cut/c.png': 'image',
      'obj/cut/c_mask.png': { symlink: join(outside, 'secret_mask.png') },
      'obj/good/g.png': { symlink: join(outside, 'secret.png') },
    });
    const ds = await readUnchanged(root);
    assert.deepEqual(summary(ds), ['obj/cut/a.png | obj/cut/a_mask.png | obj cut -']);
    for (const [link, target] of [['obj/cut/b.png', 'secret.png'], ['obj/cut/c_mask.png', 'secret_mask.png'], ['obj/good/g.png', 'secret.png']]) {
      assert.deepEqual(
        problemsAbout(ds, link).map((p) => [p.severity, p.message]),
        [['warning', `symbolic link leads outside the source folder (to ${join(outside, target)}); the image or mask reached through it is ignored`]],
      );
    }
    assert.equal(ds.problems.length, 3, JSON.stringify(ds.problems, null, 1));
  });

  it('reports a folder linked outside the source once, with the number of files it would have given', async () => {
    const outside = await tree({ 'x.png': 'image', 'x_mask.png': 'mask', 'y.png': 'image', 'y_mask.png': 'mask' });
    const root = await tree({ 'obj/cut/a.png': 'image', 'obj/cut/a_mask.png': 'mask', 'obj/dent': { symlink: outside } });
    const ds = await readUnchanged(root);
    assert.deepEqual(summary(ds), ['obj/cut/a.png | obj/cut/a_mask.png | obj cut -']);
    assert.deepEqual(
      ds.problems.map((p) => [p.file, p.severity, p.message]),
      [[join(root, 'obj/dent'), 'warning', `symbolic link leads outside the source folder (to ${outside}); 2 images or masks reached through it are ignored`]],
    );
  });

  it('follows links that stay inside the source, and a source folder that is itself a link', async () => {
    const root = await tree({
      'store/a.bin': 'image',
      'obj/cut/a.png': { symlink: '../../store/a.bin' },
      'obj/cut/a_mask.png': 'mask',
      'obj/dent': { symlink: 'cut' },
    });
    const alias = join(await tree({}), 'alias');
    symlinkSync(root, alias);
    for (const dir of [root, alias]) {
      const ds = await readSource(dir);
      assert.deepEqual(ds.problems, []);
      assert.deepEqual(summary(ds), ['obj/cut/a.png | obj/cut/a_mask.png | obj cut -', 'obj/dent/a.png | obj/dent/a_mask.png | obj dent -']);
    }
  });

  it('applies to files named by a VisA csv, through a linked folder', async () => {
    const outside = await tree({ '000.png': 'mask', '001.png': 'mask' });
    const kept = Object.entries(VISA_TREE).filter(([path]) => !path.startsWith('candle/Data/Masks/'));
    const root = await tree({ ...Object.fromEntries(kept), 'candle/Data/Masks/Anomaly': { symlink: outside } });
    const ds = await readSource(root);
    assert.ok(!summary(ds).some((line) => line.startsWith('candle/Data/Images/Anomaly/')), summary(ds).join('\n'));
    assert.ok(summary(ds).some((line) => line.startsWith('pcb1/Data/Images/Anomaly/000.JPG')), summary(ds).join('\n'));
    assert.deepEqual(
      problemsAbout(ds, 'candle/Data/Masks/Anomaly').map((p) => p.message),
      [`symbolic link leads outside the source folder (to ${outside}); 2 images or masks reached through it are ignored`],
    );
  });
});
