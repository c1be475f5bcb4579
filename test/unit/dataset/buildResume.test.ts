// End to end: a build killed halfway leaves the previous dataset intact; the next run
// reuses what the killed one finished and ends equal to a clean build.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { buildJson, ensureBuilt, runCli, startCli, treeDigest } from './cli';
import { withTempDir } from './fixtures';
import { writeBlobSource as writeSamples } from './blobSource';

const cacheCount = (out: string) => (existsSync(join(out, '.cache', 'records')) ? readdirSync(join(out, '.cache', 'records')).filter((f) => f.endsWith('.json')).length : 0);

function contentOnly(digest: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(digest).map(([k, v]) => [k, v.split(' ')[0]]));
}

function datasetFiles(out: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8'));
  delete manifest.createdAt;
  for (const s of manifest.sources) delete s.root;
  return {
    manifest: JSON.stringify(manifest),
    ...Object.fromEntries(['train', 'val', 'test'].map((s) => [s, readFileSync(join(out, `${s}.jsonl`), 'utf8')])),
    ...contentOnly(treeDigest(join(out, 'masks'))),
    ...contentOnly(treeDigest(join(out, 'images'))),
  };
}

before(ensureBuilt);

test('kill mid-build, then rerun: the old dataset stays valid, finished records are reused, the result equals a clean build', async () => {
  await withTempDir('resume', async (dir) => {
    const src = join(dir, 'src');
    const out = join(dir, 'out');
    await writeSamples(src, 'crack', 20);
    const first = buildJson([src, '--out', out, '--workers', '1']);
    assert.equal(first.code, 0, first.stderr);
    const previous = ['dataset.json', 'train.jsonl', 'val.jsonl', 'test.jsonl'].map((f) => readFileSync(join(out, f), 'utf8'));

    await writeSamples(src, 'scratch', 100);
    const before = cacheCount(out);
    const child = startCli(['build', src, '--out', out, '--workers', '1']);
    const exited = once(child, 'exit');
    let atKill = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 10));
      atKill = cacheCount(out);
      if (atKill >= before + 5 || child.exitCode !== null) break;
    }
    child.kill('SIGKILL');
    const [, signal] = await exited;
    assert.equal(signal, 'SIGKILL', 'the build was still running when killed');
    assert.ok(atKill < before + 100, 'killed before the end');

    assert.deepEqual(
      ['dataset.json', 'train.jsonl', 'val.jsonl', 'test.jsonl'].map((f) => readFileSync(join(out, f), 'utf8')),
      previous,
      'the previous manifests are untouched',
    );
    const valid = runCli(['validate', out]);
    assert.equal(valid.code, 0, valid.stdout);

    const resumed = buildJson([src, '--out', out, '--workers', '1']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(resumed.result.images.total, 120);
    assert.ok(resumed.result.images.cached >= atKill, `${resumed.result.images.cached} reused, ${atKill} were finished`);
    assert.equal(resumed.result.images.cached + resumed.result.images.processed, 120);

    const clean = join(dir, 'clean');
    assert.equal(buildJson([src, '--out', clean, '--workers', '2']).code, 0);
    assert.deepEqual(datasetFiles(out), datasetFiles(clean));
    assert.equal(readdirSync(join(out, '.cache', 'records')).length, 120, 'no stale cache entries or temp files');
  });
});
