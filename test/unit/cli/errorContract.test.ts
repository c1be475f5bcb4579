// The command line's error contract: every user error is one line on stderr naming the option
// or file, exit 2, no stack trace; an internal error is exit 70 with the stack only under --debug.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { cliPath, ensureBuilt, repoRoot } from '../dataset/cli';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}, uid?: number): Run {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', ANOMALY_LENS_DEBUG: '', ...env },
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Whether `uid` can read `file` (every folder on its path included). */
function readableBy(uid: number, file: string): boolean {
  const r = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(file)}, require('fs').constants.R_OK)`], { cwd: '/', uid, gid: uid });
  return r.status === 0;
}

const stderrLines = (r: Run) => r.stderr.split('\n').filter((l) => l.trim() !== '');
const STACK = /^\s+at .+:\d+:\d+\)?$/m;

describe('anomaly-lens error contract', () => {
  let dir: string;
  let mask: string;
  let file: string;
  let dangling: string;
  let folder: string;

  before(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'al-errors-'));
    chmodSync(dir, 0o755); // the unwritable-folder case runs as another user
    mask = join(dir, 'mask.png');
    const pixels = Buffer.alloc(16 * 16);
    pixels.fill(255, 0, 40);
    await sharp(pixels, { raw: { width: 16, height: 16, channels: 1 } }).png().toFile(mask);
    file = join(dir, 'notes.txt');
    writeFileSync(file, 'a regular file\n');
    dangling = join(dir, 'dangling');
    symlinkSync(join(dir, 'nowhere'), dangling);
    folder = join(dir, 'folder');
    mkdirSync(folder);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // [arguments, what the one line must name]
  const cases = (): Array<[string[], RegExp]> => [
    [['split', mask, '--eps', '0'], /--eps: invalid value "0"/],
    [['split', mask, '--min-pts', '1.5'], /--min-pts: invalid value "1\.5"/],
    [['split', mask, '--mode', 'dbscan3'], /--mode: invalid value "dbscan3"/],
    [['split'], /missing required argument 'mask'/],
    [['split', mask, '--colour'], /unknown option '--colour'/],
    [['split', mask, '--out', file], new RegExp(`--out ${file}: is a file`)],
    [['split', mask, '--out', join(file, 'sub')], new RegExp(`--out ${file}/sub: ${file} is a file`)],
    [['split', mask, '--out', dangling], new RegExp(`--out ${dangling}: is a symbolic link to a missing target`)],
    [['build', folder, '--out', join(dir, 'b'), '--eps', '0'], /--eps: invalid value "0"/],
    [['build', folder, '--out', join(dir, 'b'), '--workers', '0'], /--workers: invalid value "0": expected an integer of at least 1/],
    [['build', folder, '--out', join(dir, 'b'), '--workers', '-2'], /--workers: invalid value "-2"/],
    [['build', folder], /required option '-o, --out <dir>'/],
    [['build', folder, '--out', file], new RegExp(`--out ${file}: is a file`)],
    [['build', folder, '--out', join(file, 'sub')], new RegExp(`--out ${file}/sub: ${file} is a file`)],
    [['build', folder, '--out', dangling], new RegExp(`--out ${dangling}: is a symbolic link to a missing target`)],
    [['sample', join(dir, 's'), '--scale', '0'], /--scale: invalid value "0"/],
    [['sample', file], new RegExp(`${file}: is a file, not a folder`)],
    [['stats'], /missing required argument 'dir'/],
    [['stats', join(dir, 'none')], new RegExp(`${dir}/none/dataset.json: cannot read`)],
    [['eval', '--dataset', folder, '--bundle', folder, '--out', file], new RegExp(`--out ${file}: is a file`)],
    [['eval', '--dataset', folder, '--bundle', folder, '--out', join(dir, 'r'), '--top', '0'], /--top: invalid value "0"/],
    [['describe', mask, '--top', 'many'], /--top: invalid value "many"/],
    [['tokenize', '--vocab', file, '--context', '1', 'x'], /--context: invalid value "1"/],
    [['descriptions', folder, '--template', folder], new RegExp(`--template ${folder}: is a folder, not a file`)],
    [['train', '--dataset', folder, '--out', file], new RegExp(`--out ${file}: is a file`)],
    [['train', '--dataset', folder, '--out', join(dir, 'run'), '--workers', '0'], /--workers: invalid value "0"/],
    [['export', folder, '--out', join(file, 'bundle')], new RegExp(`--out ${file}/bundle: ${file} is a file`)],
    [['import-weights', '--clip', file, '--vocab', file, '--out', dangling], new RegExp(`--out ${dangling}: is a symbolic link`)],
    [['export', join(dir, 'no-run'), '--out', join(dir, 'exported')], /no-run\/last\.pt: no such checkpoint/],
    [['export-dataset', folder, '--format', 'yolo', '--out', join(dir, 'e')], /--format: invalid value "yolo"/],
    [['export-dataset', folder, '--out', join(dir, 'e')], /required option '--format <format>'/],
    [['export-dataset', folder, '--format', 'coco', '--out', file], new RegExp(`--out ${file}: is a file`)],
    [['export-dataset', folder, '--format', 'coco', '--out', join(folder, 'export')], new RegExp(`--out ${folder}/export: is inside the dataset`)],
    [['export-dataset', join(dir, 'none'), '--format', 'anomalib', '--out', join(dir, 'e')], new RegExp(`${dir}/none/dataset.json: cannot read`)],
    [['demo', '--out', file], new RegExp(`--out ${file}: is a file`)],
    [['demo', '--seed', 'abc'], /--seed: invalid value "abc"/],
    [['analyse', folder], /unknown command 'analyse'/],
    [[], /a command is required/],
  ];

  it('prints one line naming the option or file and exits 2 for each bad invocation', () => {
    const all = cases();
    assert.ok(all.length >= 20);
    for (const [args, names] of all) {
      const r = cli(args);
      const what = `anomaly-lens ${args.join(' ')}\n${r.stderr}`;
      assert.equal(r.code, 2, what);
      assert.equal(stderrLines(r).length, 1, what);
      assert.match(r.stderr, /^anomaly-lens[ :]/, what);
      assert.match(r.stderr, names, what);
      assert.doesNotMatch(r.stderr, STACK, what);
      assert.doesNotMatch(r.stderr, /internal error|Usage:/, what);
    }
    // Found before any work: nothing was written anywhere.
    assert.deepEqual(readdirSync(dir).sort(), ['dangling', 'folder', 'mask.png', 'notes.txt']);
    assert.deepEqual(readdirSync(folder), []);
  });

  it('refuses an output folder it cannot write in, before reading the input', (t) => {
    // root writes anywhere: run the check as an ordinary user then, which needs a checkout that user can read.
    const asUser = process.getuid?.() === 0 ? 65534 : undefined;
    if (asUser !== undefined && !readableBy(asUser, cliPath)) {
      t.skip(`${cliPath} is not readable by uid ${asUser}, so the check cannot run as an ordinary user here`);
      return;
    }
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    try {
      const r = cli(['split', join(dir, 'no-such-mask.png'), '--out', join(locked, 'regions')], {}, asUser);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(stderrLines(r).length, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`--out ${locked}/regions: the folder ${locked} is not writable`));
      assert.ok(!existsSync(join(locked, 'regions')));

      // A folder on the way that this user may not even look into.
      const hidden = join(dir, 'hidden');
      mkdirSync(join(hidden, 'inner'), { recursive: true });
      chmodSync(hidden, asUser === undefined ? 0o000 : 0o700);
      const denied = cli(['split', mask, '--out', join(hidden, 'inner', 'regions')], {}, asUser);
      chmodSync(hidden, 0o755);
      rmSync(hidden, { recursive: true });
      assert.equal(denied.code, 2, denied.stderr);
      assert.equal(stderrLines(denied).length, 1, denied.stderr);
      assert.match(denied.stderr.trimEnd(), new RegExp(`^anomaly-lens: --out ${hidden}/inner/regions: cannot look at .*: permission denied$`));
    } finally {
      chmodSync(locked, 0o755);
      rmSync(locked, { recursive: true });
    }
  });

  it('help and version exit 0 and print to stdout', () => {
    for (const args of [['--help'], ['--version'], ['split', '--help'], ['help', 'build']]) {
      const r = cli(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, '');
      assert.ok(r.stdout.length > 0);
    }
  });

  it('an internal error exits 70, with the stack trace only under --debug or ANOMALY_LENS_DEBUG', () => {
    const hook = { ANOMALY_LENS_TEST_INTERNAL_ERROR: '1' };
    const plain = cli(['stats', folder], hook);
    assert.equal(plain.code, 70, plain.stderr);
    assert.equal(stderrLines(plain).length, 1, plain.stderr);
    assert.match(plain.stderr, /^anomaly-lens: internal error: .*--debug/);
    assert.doesNotMatch(plain.stderr, STACK);

    for (const [args, env] of [[['stats', folder, '--debug'], hook], [['--debug', 'stats', folder], hook], [['stats', folder], { ...hook, ANOMALY_LENS_DEBUG: '1' }]] as const) {
      const debug = cli([...args], env);
      assert.equal(debug.code, 70, debug.stderr);
      assert.match(debug.stderr, /^anomaly-lens: internal error: /);
      assert.match(debug.stderr, STACK);
    }
  });

  it('validate exits 1 on an invalid dataset (the job ran and found problems)', () => {
    const r = cli(['validate', folder]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /invalid: \d+ problem/);
  });

  it('--workers above twice the cores is clamped with a warning on stderr', () => {
    const max = availableParallelism() * 2;
    const out = join(dir, 'sample');
    const r = cli(['sample', out, '--scale', '0.01', '--size', '64', '--workers', String(max + 5), '--json']);
    try {
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`^anomaly-lens: warning: --workers ${max + 5} is more than twice the ${availableParallelism()} core\\(s\\): using ${max}$`, 'm'));
      const json = JSON.parse(r.stdout) as { workers: number };
      assert.ok(json.workers >= 1 && json.workers <= max, `${json.workers} workers`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
