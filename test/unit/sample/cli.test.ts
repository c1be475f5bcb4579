// `anomaly-lens sample` through the built command line.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles, treeHashes, withTempDir } from './helpers';

const repoRoot = join(__dirname, '..', '..', '..');
const cli = join(repoRoot, 'dist', 'cli.js');

before(() => {
  if (existsSync(cli) && existsSync(join(repoRoot, 'dist', 'sample-worker.js'))) return;
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'sample', ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--json reports what sample.json records; worker threads write the same bytes as the main thread', async () => {
  await withTempDir(async (dir) => {
    const a = run([join(dir, 'a'), '--scale', '0.1', '--seed', '3', '--json', '--workers', '2']);
    assert.equal(a.code, 0, a.stderr);
    const json = JSON.parse(a.stdout);
    const manifest = JSON.parse(readFileSync(join(dir, 'a', 'sample.json'), 'utf8'));
    assert.equal(json.out, join(dir, 'a'));
    assert.equal(json.workers, 2);
    assert.deepEqual(json.counts, manifest.counts);
    assert.deepEqual(json.folders, manifest.folders);
    assert.deepEqual([json.seed, json.scale, json.size], [3, 0.1, 128]);
    const images = listFiles(join(dir, 'a')).filter((f) => /\.(png|jpg)$/.test(f) && !/(\/mask\/|ground_truth)/.test(f));
    assert.equal(images.length, json.counts.synthetic.images + json.counts.mvtec.images);

    const b = run([join(dir, 'b'), '--scale', '0.1', '--seed', '3', '--workers', '1']);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(treeHashes(join(dir, 'b')), treeHashes(join(dir, 'a')));
    assert.match(b.stdout, /synthetic\/ \(anomalydiffusion layout, train\+val source\): \d+ anomalous images/);
    assert.match(b.stdout, /mvtec\/ \(mvtec layout, test source\): \d+ anomalous \+ \d+ good images/);
    assert.match(b.stdout, /regions per image {2}1: \d+ {2}2: \d+ {2}3: \d+ {2}4: \d+ {2}5: \d+ {2}6: \d+ {2}7: \d+/);
    assert.match(b.stdout, /washer +\d+ images: combined \d+/);
  });
});

test('bad options and a foreign output folder fail with a clear message', async () => {
  await withTempDir(async (dir) => {
    for (const [flag, value] of [['--scale', '0'], ['--scale', 'lots'], ['--size', '32'], ['--seed', '-1'], ['--seed', '1.5']]) {
      const r = run([join(dir, 'x'), flag, value]);
      assert.notEqual(r.code, 0, `${flag} ${value}`);
      assert.match(r.stderr, new RegExp(`${flag}`), r.stderr);
      assert.ok(!existsSync(join(dir, 'x')));
    }
    writeFileSync(join(dir, 'thesis.tex'), '');
    const r = run([dir, '--scale', '0.02']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^anomaly-lens: .*is not empty and holds no sample\.json/);
    assert.deepEqual(listFiles(dir), ['thesis.tex']);
  });
});
