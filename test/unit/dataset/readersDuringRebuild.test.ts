// Readers while a rebuild switches the dataset: `validate` stopped in the middle of its read while
// a whole rebuild runs (and prunes the files it was reading) still reports a valid dataset, old
// or new, never "internal error" and never problems that are not there; the same with rebuilds
// running in a loop beside repeated validations; and a reader's lease (held by eval and train for
// as long as they read) keeps the previous dataset's files until the next build.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { buildJson, cliPath, ensureBuilt, readJsonl, repoRoot, runCli } from './cli';
import { withTempDir } from './fixtures';
import { writeBlobSource } from './blobSource';
import { stopped } from './stoppedProcess';
import { takeReaderLease } from '../../../server/dataset/readerLease';
import type { ImageRecord } from '../../../server/dataset/format';

before(ensureBuilt);

async function waitUntil(what: string, ready: () => boolean, exited: Promise<unknown>): Promise<void> {
  let ended = false;
  void exited.then(() => (ended = true));
  while (!ready()) {
    if (ended) throw new Error(`the process ended before ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

test('validate stopped mid-read while a whole rebuild switches and prunes the dataset reports it valid, old or new', async () => {
  await withTempDir('readers', async (dir) => {
    // Two sources whose files share no name: the second build prunes every file of the first.
    const first = join(dir, 'first');
    const second = join(dir, 'second');
    await writeBlobSource(first, 'crack', 6);
    await writeBlobSource(second, 'scratch', 6);
    const out = join(dir, 'out');
    for (const point of ['validate:read', 'validate:decode']) {
      for (const src of [first, second]) {
        assert.equal(buildJson([src, '--out', out]).code, 0, `${point}: the dataset from ${src}`);
        const other = src === first ? second : first;
        const child = spawn(process.execPath, [cliPath, 'validate', out], {
          cwd: repoRoot,
          env: { ...process.env, CI: '1', ANOMALY_LENS_PAUSE_POINT: point },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        const exited = once(child, 'exit');
        try {
          await waitUntil(`it stopped at ${point}`, () => stopped(child.pid as number), exited);
          const rebuilt = buildJson([other, '--out', out]);
          assert.equal(rebuilt.code, 0, rebuilt.stderr);
        } finally {
          child.kill('SIGCONT');
        }
        const [code] = await exited;
        const what = `validate stopped at ${point} across a rebuild:\n${stdout}\n${stderr}`;
        assert.doesNotMatch(stdout + stderr, /internal error/, what);
        assert.equal(code, 0, what);
        assert.match(stdout, /^valid: 6 images/m, what);
      }
      assert.equal(runCli(['validate', out]).code, 0);
    }
  });
});

test('rebuilds with other parameters in a loop beside repeated validations: every validation says valid', { timeout: 600_000 }, async () => {
  await withTempDir('readers-loop', async (dir) => {
    const src = join(dir, 'src');
    const out = join(dir, 'out');
    await writeBlobSource(src, 'crack', 6);
    assert.equal(buildJson([src, '--out', out]).code, 0);
    const run = (args: string[]) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d) => (output += d));
        child.stderr.on('data', (d) => (output += d));
        child.on('exit', (code) => resolve({ code, output }));
      });
    let rebuilding = true;
    const rebuilds = (async () => {
      try {
        for (let i = 0; i < 12; i++) {
          const r = await run(['build', src, '--out', out, '--eps', i % 2 === 0 ? '40' : '1.5', '--workers', '1']);
          assert.equal(r.code, 0, r.output);
        }
      } finally {
        rebuilding = false;
      }
    })();
    const results: { code: number | null; output: string }[] = [];
    while (rebuilding) results.push(await run(['validate', out]));
    await rebuilds;
    assert.ok(results.length > 0);
    for (const r of results) {
      assert.doesNotMatch(r.output, /internal error/, r.output);
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /^valid: 6 images/m, r.output);
    }
  });
});

test('a rebuild keeps the files of the dataset a live reader holds a lease on, and the next build removes them; a dead reader\'s lease is dropped', async () => {
  await withTempDir('readers-lease', async (dir) => {
    const first = join(dir, 'first');
    const second = join(dir, 'second');
    await writeBlobSource(first, 'crack', 3);
    await writeBlobSource(second, 'scratch', 3);
    const out = join(dir, 'out');
    assert.equal(buildJson([first, '--out', out]).code, 0);
    const old = readJsonl<ImageRecord>(join(out, 'test.jsonl')).flatMap((r) => [r.image, ...r.regions.map((g) => g.mask)]);

    // As eval and train hold one while they read (this process is the live reader).
    const lease = takeReaderLease(out, 'a test reading the dataset');
    const kept = buildJson([second, '--out', out]);
    assert.equal(kept.code, 0, kept.stderr);
    for (const file of old) assert.ok(existsSync(join(out, file)), `${file} is kept for the reader`);
    assert.ok(kept.result.problems.some((p) => p.severity === 'warning' && /kept while 1 reader\(s\) use it \(a test reading the dataset \(pid \d+/.test(p.message)), JSON.stringify(kept.result.problems));
    assert.equal(runCli(['validate', out]).code, 0);
    lease.release();

    // A reader that died: its lease is no reason to keep anything.
    mkdirSync(join(out, '.anomaly-lens', 'readers'), { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(out, '.anomaly-lens', 'readers', `${dead.stdout}.dead.json`), JSON.stringify({ pid: Number(dead.stdout), host: hostname(), command: 'gone', since: '' }));
    const pruned = buildJson([second, '--out', out]);
    assert.equal(pruned.code, 0, pruned.stderr);
    for (const file of old) assert.ok(!existsSync(join(out, file)), `${file} is removed by the next build`);
    assert.deepEqual(readdirSync(join(out, '.anomaly-lens', 'readers')), [], 'the dead reader\'s lease is gone');
    assert.equal(runCli(['validate', out]).code, 0);
  });
});
