// Symbolic links planted in a built dataset's folder: a rebuild resolves the real path of every
// file it deletes or writes and never acts through a link. A file named through a link (in the
// log of written files, or in a record of the previous dataset) is left alone with a warning
// naming the link; a mask folder replaced by a link gets no new masks; a link in place of the
// tool's own folders stops the rebuild before anything is touched.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJson, ensureBuilt, readJsonl, runCli, treeDigest } from './cli';
import { withTempDir, writeGreyPng } from './fixtures';
import { writeBlobSource } from './blobSource';
import type { ImageRecord } from '../../../server/dataset/format';

before(ensureBuilt);

/** A folder outside the dataset holding files a rebuild must never touch. */
async function writeElsewhere(dir: string): Promise<string> {
  const elsewhere = join(dir, 'elsewhere');
  await writeGreyPng(join(elsewhere, 'victim.png'), 8, 8, [[1, 1]]);
  await writeGreyPng(join(elsewhere, 'sub', 'deep.png'), 8, 8, [[2, 2]]);
  writeFileSync(join(elsewhere, 'notes.txt'), 'not the dataset\'s');
  return elsewhere;
}

test('a rebuild deletes nothing through a link named in its log of written files or in a record, and warns naming the link', async () => {
  await withTempDir('rebuild-links', async (dir) => {
    const src = join(dir, 'src');
    const out = join(dir, 'out');
    await writeBlobSource(src, 'crack', 4);
    assert.equal(buildJson([src, '--out', out]).code, 0);
    const elsewhere = await writeElsewhere(dir);
    const before = treeDigest(elsewhere);
    const link = join(out, 'masks', 'evil');
    symlinkSync(elsewhere, link);
    // A link at a name the log lists: the tool writes no links, so it is not the tool's to delete.
    const fileLink = join(out, 'masks', 'linked.png');
    symlinkSync(join(elsewhere, 'victim.png'), fileLink);
    appendFileSync(join(out, '.anomaly-lens', 'written.log'), 'masks/evil/victim.png\nmasks/evil/sub/deep.png\nmasks/linked.png\n');
    // A record of the previous dataset naming a file through the link (its files are candidates too).
    const lines = readFileSync(join(out, 'test.jsonl'), 'utf8').trim().split('\n');
    const record = JSON.parse(lines[0]) as ImageRecord;
    record.regions.push({ ...record.regions[0], mask: 'masks/evil/notes.txt' });
    lines[0] = JSON.stringify(record);
    writeFileSync(join(out, 'test.jsonl'), `${lines.join('\n')}\n`);

    const rebuilt = buildJson([src, '--out', out, '--eps', '40']);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.deepEqual(treeDigest(elsewhere), before, 'nothing outside the dataset was deleted');
    assert.ok(lstatSync(link).isSymbolicLink() && lstatSync(fileLink).isSymbolicLink(), 'the links themselves are left in place');
    const warnings = rebuilt.result.problems.filter((p) => p.severity === 'warning' && p.message.startsWith('not deleted'));
    assert.deepEqual(
      warnings.map((p) => p.file).sort(),
      ['masks/evil/notes.txt', 'masks/evil/sub/deep.png', 'masks/evil/victim.png', 'masks/linked.png'].map((f) => join(out, f)),
      JSON.stringify(rebuilt.result.problems, null, 1),
    );
    for (const w of warnings) assert.match(w.message, w.file === fileLink ? /symbolic link/ : new RegExp(`through the symbolic link ${link} `));
    assert.equal(runCli(['validate', out]).code, 0, 'the new dataset is whole');
    assert.doesNotMatch(readFileSync(join(out, '.anomaly-lens', 'written.log'), 'utf8'), /evil/, 'the log forgets what is not the tool\'s');
  });
});

test('a rebuild writes no mask through a mask folder replaced by a link, and deletes none there', async () => {
  await withTempDir('rebuild-link-dir', async (dir) => {
    const src = join(dir, 'src');
    const out = join(dir, 'out');
    await writeBlobSource(src, 'crack', 4);
    assert.equal(buildJson([src, '--out', out]).code, 0);
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    renameSync(join(out, 'masks', 'test'), join(elsewhere, 'test'));
    symlinkSync(join(elsewhere, 'test'), join(out, 'masks', 'test'));
    const before = treeDigest(elsewhere);

    const rebuilt = buildJson([src, '--out', out, '--eps', '40']);
    assert.deepEqual(treeDigest(elsewhere), before, 'nothing written or deleted outside the dataset');
    assert.equal(rebuilt.code, 1, 'the images whose masks cannot be written are errors');
    const errors = rebuilt.result.problems.filter((p) => p.severity === 'error');
    assert.ok(errors.length > 0);
    for (const e of errors) assert.match(e.message, new RegExp(`leads outside the dataset root through the symbolic link ${join(out, 'masks', 'test')}`));
  });
});

test('a link in place of the tool\'s own folders stops a rebuild before anything is written or deleted', async () => {
  await withTempDir('rebuild-link-state', async (dir) => {
    const src = join(dir, 'src');
    await writeBlobSource(src, 'crack', 2);
    for (const [i, folder] of ['.anomaly-lens', join('.cache', 'records')].entries()) {
      const out = join(dir, `out-${i}`);
      assert.equal(buildJson([src, '--out', out]).code, 0);
      const elsewhere = join(dir, `elsewhere-${i}`);
      renameSync(join(out, folder), elsewhere);
      for (const sub of ['tmp', 'staging']) {
        mkdirSync(join(elsewhere, sub), { recursive: true });
        writeFileSync(join(elsewhere, sub, 'keep.txt'), 'mine');
      }
      writeFileSync(join(elsewhere, 'keep.json'), 'mine');
      symlinkSync(elsewhere, join(out, folder));
      const before = treeDigest(elsewhere);
      const r = runCli(['build', src, '--out', out, '--eps', '40']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`${join(out, folder)}: .*symbolic link`));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.deepEqual(treeDigest(elsewhere), before, `${folder}: nothing outside the dataset touched`);
    }
  });
});
