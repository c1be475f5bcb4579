import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readSource } from '../../../server/dataset/readers';
import { UserError } from '../../../server/util/errors';
import { VISA_TREE, type TreeSpec } from '../../fixtures/makeSources';
import { problemsAbout, readClean, summary, treeMaker } from './helpers';

const tree = treeMaker('visa');

/** A VisA tree whose split csv has the given rows (after the header), plus `files`. */
function withRows(rows: string[], files: TreeSpec): TreeSpec {
  return { 'split_csv/1cls.csv': { text: ['object,split,label,image,mask', ...rows].join('\n') + '\n' }, ...files };
}

describe('VisA reader', () => {
  let root: string;
  before(async () => {
    root = await tree(VISA_TREE);
  });

  it('lists the csv rows with splits, defects from image_anno.csv and class maps', async () => {
    const ds = await readClean(root, 'visa');
    assert.deepEqual(summary(ds), [
      'candle/Data/Images/Anomaly/000.JPG | candle/Data/Masks/Anomaly/000.png | candle chunk of wax missing test',
      'candle/Data/Images/Anomaly/001.JPG | candle/Data/Masks/Anomaly/001.png | candle anomaly test',
      'candle/Data/Images/Normal/0000.JPG | - | candle good train-good',
      'candle/Data/Images/Normal/0001.JPG | - | candle good test',
      'pcb1/Data/Images/Anomaly/000.JPG | pcb1/Data/Masks/Anomaly/000.png | pcb1 anomaly test',
      'pcb1/Data/Images/Normal/0000.JPG | - | pcb1 good train-good',
    ]);
    const byImage = new Map(ds.samples.map((s) => [s.image, s]));
    assert.deepEqual(byImage.get(join(root, 'candle/Data/Images/Anomaly/001.JPG'))?.labels, ['weird candle wick', 'damaged corner of packaging']);
    assert.equal(byImage.get(join(root, 'candle/Data/Images/Anomaly/000.JPG'))?.labels, undefined);
    for (const s of ds.samples) {
      if (s.object === 'pcb1') assert.deepEqual(s.classNames, { 1: 'bent', 2: 'scratch' });
      else assert.equal(s.classNames, undefined);
    }
  });

  it('can be forced; forced on another folder it names the missing csv', async () => {
    assert.equal((await readSource(root, { kind: 'visa' })).samples.length, 6);
    const dir = await tree({ 'a/b/0.png': 'image' });
    await assert.rejects(readSource(dir, { kind: 'visa' }), (err: unknown) => err instanceof UserError && err.message.includes(join(dir, 'split_csv', '1cls.csv')));
  });

  it('skips rows whose paths escape the root, naming the csv and the path', async () => {
    const outside = await tree({ 'secret.png': 'image' });
    const root = await tree(
      withRows(
        [
          'a,test,anomaly,../outside.png,a/m/0.png',
          `a,test,normal,${join(outside, 'secret.png')},`,
          'a,test,anomaly,a/i/0.png,a/../../m.png',
          'a,test,anomaly,a/i/1.png,a/m/1.png',
        ],
        { 'a/i/0.png': 'image', 'a/m/0.png': 'mask', 'a/i/1.png': 'image', 'a/m/1.png': 'mask' },
      ),
    );
    const ds = await readSource(root);
    assert.deepEqual(summary(ds), ['a/i/1.png | a/m/1.png | a anomaly test']);
    const csvProblems = problemsAbout(ds, 'split_csv/1cls.csv');
    assert.equal(csvProblems.length, 3);
    assert.match(csvProblems[0].message, /^line 2: path "\.\.\/outside\.png" escapes the dataset root .*; row skipped$/);
    assert.ok(csvProblems[1].message.startsWith(`line 3: path "${join(outside, 'secret.png')}" is absolute`));
    assert.match(csvProblems[2].message, /^line 4: path "a\/\.\.\/\.\.\/m\.png" escapes the dataset root/);
    // The mask of the skipped row 2 lies in a listed mask folder: reported as unlisted.
    assert.match(problemsAbout(ds, 'a/m/0.png')[0].message, /mask without image/);
  });

  it('reports missing, empty and unlisted files, bad labels and splits, duplicate rows', async () => {
    const root = await tree(
      withRows(
        [
          'a,test,anomaly,a/i/0.png,',
          'a,test,anomaly,a/i/1.png,a/m/1.png',
          'a,test,anomaly,a/i/2.png,a/m/2.png',
          'a,test,anomaly,a/i/3.png,a/m/3.png',
          'a,test,broken,a/i/4.png,a/m/4.png',
          'a,holdout,normal,a/i/5.png,',
          'a,test,normal,a/i/5.png,',
          'a,train,normal,a/i/5.png,',
          'a,test,normal,a/i/6.png,',
          ',test,normal,a/i/5.png,',
        ],
        {
          'a/i/0.png': 'image',
          'a/i/1.png': 'image',
          'a/i/2.png': 'empty',
          'a/m/2.png': 'mask',
          'a/i/3.png': 'image',
          'a/m/3.png': 'empty',
          'a/i/5.png': 'image',
          'a/m/9.png': 'mask',
          'a/m/4.png': 'mask',
          'a/m/readme.txt': { text: 'x' },
        },
      ),
    );
    const ds = await readSource(root);
    assert.deepEqual(summary(ds), ['a/i/5.png | - | a good test']);
    const csv = join(root, 'split_csv/1cls.csv');
    const about = (path: string) => problemsAbout(ds, path).map((p) => [p.message.replace(/[:;(].*/, ''), p.other]);
    assert.deepEqual(about('a/i/0.png'), [['image without mask', csv]]);
    assert.deepEqual(about('a/i/1.png'), [['image without mask', join(root, 'a/m/1.png')]]);
    assert.deepEqual(about('a/i/2.png'), [['empty file ', csv]]);
    assert.deepEqual(about('a/m/3.png'), [['empty file ', csv]]);
    assert.deepEqual(about('a/i/6.png'), [['image listed in split_csv/1cls.csv line 10 does not exist ', csv]]);
    assert.deepEqual(about('a/m/9.png'), [['mask without image', csv]]);
    assert.deepEqual(about('a/m/4.png'), [['mask without image', csv]]);
    const csvMessages = problemsAbout(ds, 'split_csv/1cls.csv').map((p) => p.message);
    assert.deepEqual(csvMessages, [
      'line 6: label "broken" is neither normal nor anomaly; row skipped',
      'line 7: split "holdout" is not train, val or test; row skipped',
      'line 9: a/i/5.png is listed again (first at line 8); row skipped',
      'line 11: no object; row skipped',
    ]);
  });

  it('refuses a csv without the needed columns, naming it and the columns', async () => {
    const root = await tree({ 'split_csv/1cls.csv': { text: 'object,split,image\na,test,a/0.png\n' } });
    await assert.rejects(readSource(root), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.ok(err.message.startsWith(join(root, 'split_csv/1cls.csv')));
      assert.match(err.message, /missing columns label, mask/);
      return true;
    });
  });

  it('reports a malformed image_anno.csv and class_ids.json and keeps the rows', async () => {
    const root = await tree(
      withRows(['a,test,anomaly,a/i/0.png,a/m/0.png'], {
        'a/i/0.png': 'image',
        'a/m/0.png': 'mask',
        'a/image_anno.csv': { text: 'picture,what\nx,y\n' },
        'a/class_ids.json': { text: '["bent"]' },
      }),
    );
    const ds = await readSource(root);
    assert.deepEqual(summary(ds), ['a/i/0.png | a/m/0.png | a anomaly test']);
    assert.match(problemsAbout(ds, 'a/image_anno.csv')[0].message, /malformed defect labels \(missing columns image, label/);
    assert.match(problemsAbout(ds, 'a/class_ids.json')[0].message, /malformed class map \(expected an object/);
  });
});
