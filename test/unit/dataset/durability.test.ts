// What a build may touch in its output folder, and what it leaves there when it is stopped,
// runs twice at once, or finds damage: refusal of folders that are not ours, a rebuild that
// deletes only its own files, the switch a dead rebuild left half done, the build lock, the
// build cache's content check, and stats/eval refusing a damaged dataset.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { buildJson, cliPath, ensureBuilt, readJsonl, repoRoot, runCli, startCli, treeDigest } from './cli';
import { withTempDir, writeGreyPng, writeImage } from './fixtures';
import { writeBlobSource } from './blobSource';
import type { ImageRecord } from '../../../server/dataset/format';

before(ensureBuilt);

const MANIFESTS = ['dataset.json', 'train.jsonl', 'val.jsonl', 'test.jsonl'];
const manifests = (out: string) => MANIFESTS.map((f) => (existsSync(join(out, f)) ? readFileSync(join(out, f), 'utf8') : ''));

function runWithFault(args: string[], point: string) {
  return spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, CI: '1', ANOMALY_LENS_FAULT_POINT: point } });
}

test('a folder holding a dataset.json that is not ours is refused and nothing in it is touched', async () => {
  await withTempDir('foreign', async (dir) => {
    const src = join(dir, 'src');
    await writeBlobSource(src, 'crack', 2);
    for (const content of ['not json', '{"name": "my holiday album"}', JSON.stringify({ tool: { name: 'anomaly-lens' } })]) {
      const u = join(dir, 'u');
      rmSync(u, { recursive: true, force: true });
      await writeImage(join(u, 'images', 'holiday', 'photo.png'), 8, 8);
      writeFileSync(join(u, 'dataset.json'), content);
      const before = treeDigest(u);
      const r = runCli(['build', src, '--out', u]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /dataset\.json/);
      assert.match(r.stderr, /choose a new or empty folder/);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.deepEqual(treeDigest(u), before, `nothing written or deleted (${content})`);
    }
  });
});

test('a rebuild with other parameters deletes only files the tool wrote; the user\'s files in the dataset folder stay', async () => {
  await withTempDir('own', async (dir) => {
    const src = join(dir, 'src');
    const out = join(dir, 'out');
    await writeBlobSource(src, 'crack', 6);
    assert.equal(buildJson([src, '--out', out]).code, 0);
    const first = readJsonl<ImageRecord>(join(out, 'test.jsonl')).flatMap((r) => r.regions.map((g) => g.mask));
    await writeImage(join(out, 'images', 'holiday', 'photo.png'), 8, 8);
    writeFileSync(join(out, 'masks', 'notes.txt'), 'mine');
    const mine = { ...treeDigest(join(out, 'images', 'holiday')) };

    const rebuilt = buildJson([src, '--out', out, '--eps', '40']);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    const second = readJsonl<ImageRecord>(join(out, 'test.jsonl')).flatMap((r) => r.regions.map((g) => g.mask));
    assert.notDeepEqual(second, first, 'the regions changed');
    assert.deepEqual(treeDigest(join(out, 'images', 'holiday')), mine, 'the user\'s image is untouched');
    assert.equal(readFileSync(join(out, 'masks', 'notes.txt'), 'utf8'), 'mine');
    for (const mask of first.filter((m) => !second.includes(m))) assert.ok(!existsSync(join(out, mask)), `${mask} of the old dataset was pruned`);
    assert.equal(runCli(['validate', out]).code, 0);
  });
});

test('a rebuild with other parameters killed at any stage leaves the old or the new dataset, never a mix', async () => {
  await withTempDir('switch', async (dir) => {
    const src = join(dir, 'src');
    const out = join(dir, 'out');
    const reference = join(dir, 'reference');
    await writeBlobSource(src, 'crack', 8);
    assert.equal(buildJson([src, '--out', out]).code, 0);
    assert.equal(buildJson([src, '--out', reference, '--eps', '20']).code, 0);
    const old = manifests(out);
    const next = manifests(reference);
    const same = (a: string[], b: string[]) => JSON.stringify(a.map(withoutTime)) === JSON.stringify(b.map(withoutTime));

    const r1 = runWithFault(['build', src, '--out', out, '--eps', '20'], 'before-switch');
    assert.equal(r1.signal, 'SIGKILL');
    assert.ok(same(manifests(out), old), 'killed before the switch: the old dataset');
    assert.equal(runCli(['validate', out]).code, 0);

    const r2 = runWithFault(['build', src, '--out', out, '--eps', '20'], 'switch:3');
    assert.equal(r2.signal, 'SIGKILL');
    assert.ok(existsSync(join(out, '.anomaly-lens', 'staging', 'COMMIT')), 'the switch note is left behind');
    const stats = runCli(['stats', out, '--json']);
    assert.equal(stats.code, 0, `stats finishes the switch and reads the new dataset: ${stats.stderr}`);
    assert.ok(same(manifests(out), next), 'the new dataset after the switch is finished');
    assert.ok(!existsSync(join(out, '.anomaly-lens', 'staging')));
    assert.equal(runCli(['validate', out]).code, 0);

    const again = buildJson([src, '--out', out, '--eps', '20']);
    assert.equal(again.code, 0, again.stderr);
    assert.ok(same(manifests(out), next));
  });
});

function withoutTime(text: string): string {
  return text.replace(/"createdAt": "[^"]*"/, '').replace(/"root": "[^"]*"/g, '');
}

test('the build cache checks content: a damaged region mask is rebuilt, and stats and eval refuse a damaged dataset', async () => {
  await withTempDir('damage', async (dir) => {
    const src = join(dir, 'src');
    const out = join(dir, 'out');
    await writeBlobSource(src, 'crack', 4);
    assert.equal(buildJson([src, '--out', out]).code, 0);
    const record = readJsonl<ImageRecord>(join(out, 'test.jsonl'))[0];
    const mask = join(out, record.regions[0].mask);
    await writeGreyPng(mask, record.width, record.height, [[0, 0], [1, 1]]);
    assert.equal(runCli(['validate', out]).code, 1, 'the damage is visible to validate');

    const rebuilt = buildJson([src, '--out', out]);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.equal(rebuilt.result.images.processed, 1, 'the damaged image is processed again');
    assert.equal(rebuilt.result.images.cached, 3);
    assert.equal(runCli(['validate', out]).code, 0, 'and the dataset is whole again');

    rmSync(mask);
    for (const args of [['stats', out], ['eval', '--dataset', out, '--bundle', join(repoRoot, 'media', 'default-model'), '--out', join(dir, 'report')]]) {
      const r = runCli(args);
      assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, /is not a valid dataset/);
      assert.match(r.stderr, /does not exist/);
      assert.match(r.stderr, /anomaly-lens validate/);
    }
    assert.ok(!existsSync(join(dir, 'report', 'report.json')));
  });
});

test('a second build into the same folder is refused while the first runs; a lock left by a dead build is taken over', async () => {
  await withTempDir('lock', async (dir) => {
    const src = join(dir, 'src');
    const out = join(dir, 'out');
    await writeBlobSource(src, 'crack', 40);
    const first = startCli(['build', src, '--out', out, '--workers', '1']);
    const exited = once(first, 'exit');
    const lock = join(out, '.anomaly-lens', 'lock');
    while (!existsSync(lock) && first.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    const second = runCli(['build', src, '--out', out, '--eps', '20']);
    const [code] = await exited;
    assert.equal(code, 0, 'the first build finished');
    assert.equal(second.code, 2, second.stderr);
    assert.match(second.stderr, new RegExp(`in use by anomaly-lens build \\(pid ${first.pid} on ${hostname()}`));
    assert.equal(runCli(['validate', out]).code, 0);
    assert.ok(!existsSync(lock), 'the lock is released');

    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']);
    mkdirSync(join(out, '.anomaly-lens'), { recursive: true });
    writeFileSync(lock, JSON.stringify({ pid: dead.pid, host: hostname(), command: 'anomaly-lens build', since: '2026-01-01T00:00:00Z' }));
    const taken = buildJson([src, '--out', out]);
    assert.equal(taken.code, 0, taken.stderr);
    assert.ok(taken.result.problems.some((p) => p.severity === 'warning' && /took over the lock/.test(p.message) && p.message.includes(`pid ${dead.pid}`)));

    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(lock, JSON.stringify({ pid: sleeper.pid, host: hostname(), command: 'anomaly-lens build', since: '2026-01-01T00:00:00Z' }));
      const refused = runCli(['build', src, '--out', out]);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, new RegExp(`pid ${sleeper.pid}`));
      writeFileSync(lock, JSON.stringify({ pid: 1, host: 'another-host', command: 'anomaly-lens build', since: '2026-01-01T00:00:00Z' }));
      assert.match(runCli(['build', src, '--out', out]).stderr, /pid 1 on another-host/, 'a lock of another host is never judged stale');
    } finally {
      sleeper.kill();
      rmSync(lock, { force: true });
    }
    assert.deepEqual(readdirSync(join(out, '.anomaly-lens')).filter((f) => f.startsWith('lock')), []);
  });
});

test('a build refused for a bad setting writes nothing, not even the output folder', async () => {
  await withTempDir('refused', async (dir) => {
    const src = join(dir, 'src');
    await writeBlobSource(src, 'crack', 1);
    const out = join(dir, 'new', 'out');
    const r = runCli(['build', src, '--out', out, '--describe', 'llm', '--llm-base-url', 'https://user:secret@127.0.0.1:9/v1']);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(!r.stderr.includes('secret'));
    assert.ok(!existsSync(join(dir, 'new')), 'no folder was created');
  });
});
