import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { readSource } from '../../../server/dataset/readers';
import { MVTEC_TREE } from '../../fixtures/makeSources';
import { problemsAbout, readClean, summary, treeMaker } from './helpers';

const tree = treeMaker('mvtec');

describe('MVTec AD reader', () => {
  let root: string;
  before(async () => {
    root = await tree(MVTEC_TREE);
  });

  it('lists every image with its mask, object, defect and split, in path order', async () => {
    const ds = await readClean(root, 'mvtec');
    assert.equal(ds.root, root);
    assert.deepEqual(summary(ds), [
      'bottle/test/broken_large/000.png | bottle/ground_truth/broken_large/000_mask.png | bottle broken_large test',
      'bottle/test/broken_large/001.png | bottle/ground_truth/broken_large/001_mask.png | bottle broken_large test',
      'bottle/test/good/000.png | - | bottle good test',
      'bottle/train/good/000.png | - | bottle good train-good',
      'bottle/train/good/001.png | - | bottle good train-good',
      'capsule/test/crack/000.jpg | capsule/ground_truth/crack/000_mask.png | capsule crack test',
      'capsule/test/squeeze/003.jpg | capsule/ground_truth/squeeze/003_mask.png | capsule squeeze test',
      'capsule/train/good/000.jpg | - | capsule good train-good',
    ]);
  });

  it('gives the class map of class_ids.json to every sample of its object, and none to others', async () => {
    const ds = await readSource(root);
    for (const s of ds.samples) {
      if (s.object === 'capsule') assert.deepEqual(s.classNames, { 255: 'crack', 254: 'squeeze' });
      else assert.equal(s.classNames, undefined);
    }
  });

  it('reads a single object folder as the root', async () => {
    const ds = await readSource(join(root, 'capsule'));
    assert.equal(ds.kind, 'mvtec');
    assert.deepEqual(
      ds.samples.map((s) => `${s.object}/${s.defect}`),
      ['capsule/crack', 'capsule/squeeze', 'capsule/good'],
    );
  });

  it('is deterministic', async () => {
    assert.deepEqual(await readSource(root), await readSource(root));
  });

  it('reads MVTec 3D-AD rgb/ and gt/ folders', async () => {
    const dir = await tree({
      'cookie/train/good/rgb/000.png': 'image',
      'cookie/train/good/xyz/000.tiff': 'image',
      'cookie/test/crack/rgb/000.png': 'image',
      'cookie/test/crack/gt/000.png': 'mask',
      'cookie/test/crack/xyz/000.tiff': 'image',
    });
    const ds = await readSource(dir);
    assert.deepEqual(ds.problems, []);
    assert.deepEqual(summary(ds), [
      'cookie/test/crack/rgb/000.png | cookie/test/crack/gt/000.png | cookie crack test',
      'cookie/train/good/rgb/000.png | - | cookie good train-good',
    ]);
  });
});

describe('MVTec AD reader problems', () => {
  it('names both files when an image has no mask or a mask has no image', async () => {
    const root = await tree({
      'obj/train/good/000.png': 'image',
      'obj/test/cut/000.png': 'image',
      'obj/test/cut/001.png': 'image',
      'obj/ground_truth/cut/000_mask.png': 'mask',
      'obj/ground_truth/cut/002_mask.png': 'mask',
      'obj/ground_truth/hole/005_mask.png': 'mask',
    });
    const ds = await readSource(root);
    assert.deepEqual(summary(ds), ['obj/test/cut/000.png | obj/ground_truth/cut/000_mask.png | obj cut test', 'obj/train/good/000.png | - | obj good train-good']);

    const [noMask] = problemsAbout(ds, 'obj/test/cut/001.png');
    assert.equal(noMask.other, join(root, 'obj/ground_truth/cut/001_mask.png'));
    assert.match(noMask.message, /image without mask/);
    assert.ok(noMask.message.includes(join(root, 'obj/ground_truth/cut/001_mask.png')));

    const [noImage] = problemsAbout(ds, 'obj/ground_truth/cut/002_mask.png');
    assert.equal(noImage.other, join(root, 'obj/test/cut/002.png'));
    assert.match(noImage.message, /mask without image/);

    const [noFolder] = problemsAbout(ds, 'obj/ground_truth/hole/005_mask.png');
    assert.equal(noFolder.other, join(root, 'obj/test/hole/005.png'));
    assert.equal(ds.problems.length, 3);
    assert.ok(ds.problems.every((p) => p.severity === 'error'));
  });

  it('reports every image of a defect without ground_truth folder', async () => {
    const root = await tree({ 'obj/train/good/000.png': 'image', 'obj/test/cut/000.png': 'image', 'obj/test/cut/001.png': 'image' });
    const ds = await readSource(root);
    assert.deepEqual(
      ds.problems.map((p) => [p.file, p.other]),
      [
        [join(root, 'obj/test/cut/000.png'), join(root, 'obj/ground_truth/cut/000_mask.png')],
        [join(root, 'obj/test/cut/001.png'), join(root, 'obj/ground_truth/cut/001_mask.png')],
      ],
    );
  });

  it('reports empty files, duplicate stems and unsupported image formats; ignores other files silently', async () => {
    const root = await tree({
      'obj/train/good/000.png': 'image',
      'obj/train/good/001.png': 'empty',
      'obj/train/good/002.bmp': { text: 'BM' },
      'obj/train/good/Thumbs.db': { text: 'x' },
      'obj/test/cut/000.png': 'image',
      'obj/test/cut/000.jpg': 'image',
      'obj/test/cut/001.png': 'image',
      'obj/test/cut/.DS_Store': { text: 'x' },
      'obj/ground_truth/cut/000_mask.png': 'mask',
      'obj/ground_truth/cut/001_mask.png': 'empty',
    });
    const ds = await readSource(root);
    assert.deepEqual(summary(ds), ['obj/train/good/000.png | - | obj good train-good']);

    assert.match(problemsAbout(ds, 'obj/train/good/001.png')[0].message, /empty file/);
    const [bmp] = problemsAbout(ds, 'obj/train/good/002.bmp');
    assert.equal(bmp.severity, 'warning');
    assert.match(bmp.message, /unsupported image format "\.bmp"/);
    const [dup] = problemsAbout(ds, 'obj/test/cut/000.jpg');
    assert.equal(dup.other, join(root, 'obj/test/cut/000.png'));
    assert.match(dup.message, /000\.jpg, 000\.png/);
    assert.match(problemsAbout(ds, 'obj/ground_truth/cut/001_mask.png')[0].message, /empty file/);
    // The mask of the ambiguous image and the image of the empty mask are not reported again.
    assert.equal(ds.problems.length, 4);
  });

  it('reports a malformed class_ids.json and reads the object without class map', async () => {
    const root = await tree({
      'obj/train/good/000.png': 'image',
      'obj/test/cut/000.png': 'image',
      'obj/ground_truth/cut/000_mask.png': 'mask',
      'obj/class_ids.json': { text: '{"255": "cut",' },
      'other/test/hole/000.png': 'image',
      'other/ground_truth/hole/000_mask.png': 'mask',
      'other/class_ids.json': { text: '{"x": "hole"}' },
    });
    const ds = await readSource(root);
    assert.equal(ds.samples.length, 3);
    assert.ok(ds.samples.every((s) => s.classNames === undefined));
    assert.match(problemsAbout(ds, 'obj/class_ids.json')[0].message, /malformed class map \(invalid JSON/);
    assert.match(problemsAbout(ds, 'other/class_ids.json')[0].message, /key "x" is not a mask value/);
  });

  it('reports a file where a folder is expected and a broken link, and reads the rest', async () => {
    const root = await tree({
      'obj/train/good/000.png': 'image',
      'obj/test/cut/000.png': 'image',
      'obj/ground_truth/cut': { text: 'not a folder' },
      'obj/test/hole': { symlink: '/nonexistent/anomaly-lens/hole' },
      'obj/test/scratch/000.png': 'image',
      'obj/ground_truth/scratch/000_mask.png': 'mask',
    });
    const ds = await readSource(root);
    assert.deepEqual(summary(ds), [
      'obj/test/scratch/000.png | obj/ground_truth/scratch/000_mask.png | obj scratch test',
      'obj/train/good/000.png | - | obj good train-good',
    ]);
    assert.match(problemsAbout(ds, 'obj/ground_truth/cut')[0].message, /expected a folder but found a file/);
    assert.match(problemsAbout(ds, 'obj/test/hole')[0].message, /broken symbolic link/);
    const [skipped] = problemsAbout(ds, 'obj/test/cut');
    assert.match(skipped.message, /1 image\(s\) skipped/);
    assert.equal(skipped.other, join(root, 'obj/ground_truth/cut'));
    assert.equal(ds.problems.length, 3);
  });

  it('reports a folder it may not read', { skip: process.getuid?.() === 0 ? 'root reads folders whatever their mode' : false }, async () => {
    const root = await tree({ 'obj/train/good/000.png': 'image', 'obj/test/cut/000.png': 'image', 'obj/ground_truth/cut/000_mask.png': 'mask' });
    chmodSync(join(root, 'obj/ground_truth/cut'), 0o000);
    try {
      const ds = await readSource(root);
      assert.match(problemsAbout(ds, 'obj/ground_truth/cut')[0].message, /permission denied/);
      assert.match(problemsAbout(ds, 'obj/test/cut')[0].message, /skipped/);
      assert.deepEqual(summary(ds), ['obj/train/good/000.png | - | obj good train-good']);
    } finally {
      chmodSync(join(root, 'obj/ground_truth/cut'), 0o755);
    }
  });

  it('ignores training folders other than good with a warning', async () => {
    const root = await tree({ 'obj/train/good/000.png': 'image', 'obj/train/bad/000.png': 'image', 'obj/test/good/000.png': 'image' });
    const ds = await readSource(root);
    assert.equal(ds.samples.length, 2);
    assert.equal(problemsAbout(ds, 'obj/train/bad')[0].severity, 'warning');
  });
});
