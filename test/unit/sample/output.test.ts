// Which folders the generator writes into and what it replaces there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSample } from '../../../server/sample/generate';
import { ownedFiles } from '../../../server/sample/manifest';
import { UserError } from '../../../server/util/errors';
import { listFiles, treeHashes, withTempDir } from './helpers';

function emptyFolders(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (!statSync(full).isDirectory()) continue;
    if (readdirSync(full).length === 0) out.push(full);
    else out.push(...emptyFolders(full));
  }
  return out;
}

const SMALL = { seed: 2, scale: 0.05, size: 64, workers: 0 };

test('a folder that is not empty and holds no sample.json is refused and left as it was', async () => {
  await withTempDir(async (dir) => {
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    mkdirSync(join(dir, 'synthetic'));
    const before = treeHashes(dir);
    await assert.rejects(generateSample(dir, SMALL), (err: unknown) => err instanceof UserError && err.message.includes(dir) && /not empty/.test(err.message));
    assert.deepEqual(treeHashes(dir), before);
  });
});

test('a file as output, another format version or a manifest naming paths outside are refused', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    await assert.rejects(generateSample(file, SMALL), (err: unknown) => err instanceof UserError && /not a folder/.test(err.message));

    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'sample.json'), JSON.stringify({ format: 'anomaly-lens-sample', version: 99, folders: [] }));
    await assert.rejects(generateSample(other, SMALL), (err: unknown) => err instanceof UserError && /another version/.test(err.message));

    const evil = join(dir, 'evil');
    mkdirSync(evil);
    writeFileSync(join(dir, 'victim.png'), 'keep');
    writeFileSync(join(evil, 'sample.json'), JSON.stringify({ format: 'anomaly-lens-sample', version: 1, folders: [{ layout: 'mvtec', object: '..', split: 'test', folder: '..', images: 1 }] }));
    await assert.rejects(generateSample(evil, SMALL), (err: unknown) => err instanceof UserError && /malformed folder entry/.test(err.message));
    assert.equal(readFileSync(join(dir, 'victim.png'), 'utf8'), 'keep');

    const broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'sample.json'), '{');
    await assert.rejects(generateSample(broken, SMALL), (err: unknown) => err instanceof UserError && err.message.includes(join(broken, 'sample.json')) && /invalid JSON/.test(err.message));
  });
});

test('over an earlier sample output only its own files are replaced or removed; files added by hand stay', async () => {
  await withTempDir(async (dir) => {
    const out = join(dir, 'sample');
    const first = await generateSample(out, { ...SMALL, scale: 0.12 });
    assert.equal(first.removed, 0);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    writeFileSync(join(out, 'synthetic', 'washer', 'extra.png'), 'mine too');

    const second = await generateSample(out, SMALL);
    const expected = new Set(ownedFiles(second.manifest));
    const files = listFiles(out);
    assert.deepEqual(files.filter((f) => !expected.has(f)), ['notes.txt', 'synthetic/washer/extra.png']);
    assert.deepEqual([...expected].filter((f) => !files.includes(f)), []);
    const stale = ownedFiles(first.manifest).filter((f) => !expected.has(f));
    assert.ok(stale.length > 0);
    assert.equal(second.removed, stale.length);

    await withTempDir(async (fresh) => {
      await generateSample(join(fresh, 's'), SMALL);
      const a = treeHashes(join(fresh, 's'));
      const b = treeHashes(out);
      b.delete('notes.txt');
      b.delete('synthetic/washer/extra.png');
      assert.deepEqual(b, a, 'regenerating over an earlier output gives the same files as a fresh run');
    });
    assert.deepEqual(emptyFolders(out), [], 'folders emptied by the removal are removed too');
  });
});
