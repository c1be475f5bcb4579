// End to end: broken samples are reported by file, the rest of the dataset is still built.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageRecord } from '../../../server/dataset/format';
import { buildJson, ensureBuilt, readJsonl, runCli, treeDigest, withoutContentTag } from './cli';
import { withTempDir, writeGreyPng, writeImage } from './fixtures';

const W = 16;
const H = 12;
const twoBlobs: [number, number][] = [[1, 1], [2, 1], [1, 2], [10, 8], [11, 8]];

function truncateToHalf(file: string): void {
  truncateSync(file, Math.floor(statSync(file).size / 2));
}

/** An MVTec-layout source with one good and several broken anomalous samples. */
async function writeBrokenSource(root: string): Promise<Record<string, string>> {
  const obj = join(root, 'widget');
  const img = (name: string) => join(obj, 'test', 'crack', name);
  const gt = (stem: string) => join(obj, 'ground_truth', 'crack', `${stem}_mask.png`);
  await writeImage(join(obj, 'train', 'good', '000.png'), W, H);
  await writeImage(join(obj, 'test', 'good', '000.png'), W, H);
  await writeImage(img('000.png'), W, H);
  await writeGreyPng(gt('000'), W, H, twoBlobs);
  await writeImage(img('001.png'), W, H); // truncated image
  truncateToHalf(img('001.png'));
  await writeGreyPng(gt('001'), W, H, twoBlobs);
  await writeImage(img('002.png'), W, H); // mask of another size
  await writeGreyPng(gt('002'), W + 4, H, twoBlobs);
  await writeImage(img('003.png'), W, H); // image without mask
  await writeGreyPng(gt('004'), W, H, twoBlobs); // mask without image
  await writeImage(img('005.png'), W, H); // empty mask
  await writeGreyPng(gt('005'), W, H, []);
  await writeImage(img('006.png'), W, H); // neither 0 nor 255: a warning, still used
  await writeGreyPng(gt('006'), W, H, [[3, 3, 255], [4, 3, 128]]);
  await writeImage(img('007.jpg'), W, H); // truncated JPEG
  truncateToHalf(img('007.jpg'));
  await writeGreyPng(gt('007'), W, H, twoBlobs);
  await writeImage(img('008.png'), W, H); // truncated mask
  await writeGreyPng(gt('008'), W, H, twoBlobs);
  truncateToHalf(gt('008'));
  return {
    truncatedImage: img('001.png'),
    otherSizeMask: gt('002'),
    otherSizeImage: img('002.png'),
    noMask: img('003.png'),
    noImage: gt('004'),
    emptyMask: gt('005'),
    greyMask: gt('006'),
    truncatedJpeg: img('007.jpg'),
    truncatedMask: gt('008'),
  };
}

before(ensureBuilt);

test('bad samples are problems naming their files; the good ones are built; exit code 1', async () => {
  await withTempDir('bad', async (dir) => {
    const src = join(dir, 'src');
    const out = join(dir, 'out');
    const files = await writeBrokenSource(src);
    const digest = treeDigest(src);
    const { code, result } = buildJson([src, '--out', out, '--workers', '2']);
    assert.equal(code, 1, 'errors fail the command');
    assert.deepEqual(treeDigest(src), digest, 'the source is unchanged');

    const about = (file: string, severity: 'error' | 'warning') => result.problems.filter((p) => p.severity === severity && (p.file === file || p.other === file));
    assert.equal(about(files.truncatedImage, 'error').length, 1, 'truncated PNG');
    assert.equal(about(files.truncatedJpeg, 'error').length, 1, 'truncated JPEG');
    assert.equal(about(files.truncatedMask, 'error').length, 1, 'truncated mask');
    assert.equal(about(files.noMask, 'error').length, 1, 'image without mask');
    assert.equal(about(files.noImage, 'error').length, 1, 'mask without image');
    const size = about(files.otherSizeMask, 'error');
    assert.equal(size.length, 1, 'mask of another size');
    assert.match(`${size[0].file} ${size[0].other} ${size[0].message}`, new RegExp(`${W + 4}x${H}[^]*${W}x${H}`));
    assert.ok(`${size[0].file} ${size[0].other ?? ''} ${size[0].message}`.includes(files.otherSizeImage), 'names the image too');
    assert.match(about(files.emptyMask, 'warning')[0]?.message ?? '', /no foreground/);
    assert.match(about(files.greyMask, 'warning')[0]?.message ?? '', /not a binary mask/, 'values other than 0 and 255');
    assert.equal(result.errors, 6);

    const records = readJsonl<ImageRecord>(join(out, 'test.jsonl'));
    assert.deepEqual(records.map((r) => withoutContentTag(r.image)), ['images/test/widget/crack/000.png', 'images/test/widget/crack/006.png']);
    assert.deepEqual(records.map((r) => r.regions.length), [2, 1]);
    assert.deepEqual(result.images, { total: 7, processed: 7, cached: 0, skipped: 5 });
    assert.equal(runCli(['validate', out]).code, 0);

    const text = runCli(['build', src, '--out', out, '--workers', '1']);
    assert.equal(text.code, 1);
    assert.ok(text.stderr.includes(`error: ${files.truncatedImage}: `), text.stderr);
    assert.match(text.stdout, /2 from the build cache/);
  });
});

test('an unknown layout, a missing source and a foreign output folder stop the build before any work', async () => {
  await withTempDir('user', async (dir) => {
    const odd = join(dir, 'odd');
    mkdirSync(odd);
    writeFileSync(join(odd, 'notes.txt'), 'nothing to see');
    const unknown = runCli(['build', odd, '--out', join(dir, 'out1')]);
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.ok(unknown.stderr.includes(odd), unknown.stderr);

    const missing = runCli(['build', join(dir, 'nope'), '--out', join(dir, 'out2')]);
    assert.equal(missing.code, 2);
    assert.ok(missing.stderr.includes(join(dir, 'nope')), missing.stderr);

    const src = join(dir, 'src');
    await writeBrokenSource(src);
    const foreign = join(dir, 'home');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'thesis.tex'), 'precious');
    const refused = runCli(['build', src, '--out', foreign]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /not empty and holds no dataset/);
    assert.equal(readFileSync(join(foreign, 'thesis.tex'), 'utf8'), 'precious');

    const badFlag = runCli(['build', src, '--out', join(dir, 'out3'), '--val-ratio', '2']);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /--val-ratio/);
  });
});
