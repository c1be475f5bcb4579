// Output folders on the kernel's file systems (/proc, /sys, /dev/pts, a devtmpfs /dev) are
// refused before any work, by every command that writes an output folder and by the child
// server's requests: creating a folder under /proc made Node's recursive mkdir loop for ever.
// Each command runs under a kill timer, so that a command that hangs fails the test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { ServerRequestError } from '../../../extension/client/errors';
import { BuildDatasetRequest, CreateSampleRequest, ErrorCodes } from '../../../server/rpc/protocol';
import { UserError } from '../../../server/util/errors';
import { checkOutputFile, checkOutputFolder } from '../../../server/util/outputPath';
import { newClient } from '../rpc/fixtures';
import { cliPath, ensureBuilt, repoRoot } from '../dataset/cli';

const KILL_AFTER_MS = 60_000;
const linux = process.platform === 'linux';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', ANOMALY_LENS_DEBUG: '' },
    timeout: KILL_AFTER_MS,
    killSignal: 'SIGKILL',
  });
  return { code: r.status, signal: r.signal, stderr: r.stderr };
}

/** The file system type /proc/self/mountinfo gives for the mount at exactly `point`. */
function mountType(point: string): string | undefined {
  try {
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const [left, right] = line.split(' - ');
      if (left?.split(' ')[4] === point) return right?.split(' ')[0];
    }
  } catch {
    return undefined;
  }
  return undefined;
}

describe('output folders on special file systems', { skip: !linux && 'the kernel file systems checked here are Linux ones' }, () => {
  let dir = '';
  let folder = '';
  let mask = '';
  let file = '';

  before(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'al-special-fs-'));
    folder = join(dir, 'folder');
    mkdirSync(folder);
    mask = join(dir, 'mask.png');
    await sharp(Buffer.alloc(16 * 16, 255), { raw: { width: 16, height: 16, channels: 1 } }).png().toFile(mask);
    file = join(dir, 'notes.txt');
    writeFileSync(file, 'a regular file\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('every command that writes an output folder refuses one under /proc, /sys or /dev/pts with one line, exit 2', () => {
    const out = (root: string) => join(root, 'anomaly-lens-out');
    const cases: Array<[string[], string]> = [
      [['sample', out('/proc')], out('/proc')],
      [['sample', out('/sys')], out('/sys')],
      [['sample', out('/dev/pts')], out('/dev/pts')],
      [['sample', '/proc/self'], '/proc/self'],
      [['build', folder, '--out', out('/proc')], `--out ${out('/proc')}`],
      [['split', mask, '--out', out('/proc')], `--out ${out('/proc')}`],
      [['eval', '--dataset', folder, '--bundle', folder, '--out', out('/proc')], `--out ${out('/proc')}`],
      [['export', folder, '--out', out('/proc')], `--out ${out('/proc')}`],
      [['train', '--dataset', folder, '--out', out('/sys')], `--out ${out('/sys')}`],
      [['import-weights', '--clip', file, '--vocab', file, '--out', out('/proc')], `--out ${out('/proc')}`],
      [['demo', '--out', out('/proc')], `--out ${out('/proc')}`],
    ];
    for (const [args, named] of cases) {
      const r = cli(args);
      const what = `anomaly-lens ${args.join(' ')}\n${r.stderr}`;
      assert.equal(r.signal, null, `killed after ${KILL_AFTER_MS} ms: ${what}`);
      assert.equal(r.code, 2, what);
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      assert.equal(lines.length, 1, what);
      assert.ok(lines[0].startsWith(`anomaly-lens: ${named}: `), what);
      assert.match(lines[0], /is on a (proc|sysfs|devpts) file system/, what);
    }
  });

  it('the output-path checks name the file system; a folder on a disk is accepted', (t) => {
    const refused = (check: () => void, pattern: RegExp) =>
      assert.throws(check, (err: unknown) => {
        assert.ok(err instanceof UserError, String(err));
        assert.match(err.message, pattern);
        return true;
      });
    refused(() => checkOutputFolder('/proc/anomaly-lens/out', '--out'), /\/proc is on a proc file system/);
    refused(() => checkOutputFolder('/proc/self/fdinfo'), /is on a proc file system/);
    refused(() => checkOutputFile('/sys/anomaly-lens.json', '--out'), /\/sys is on a sysfs file system/);
    checkOutputFolder(join(dir, 'new', 'out'), '--out');
    checkOutputFolder(folder, '--out');
    if (mountType('/dev') !== 'devtmpfs') {
      t.diagnostic(`/dev is ${mountType('/dev') ?? 'not a mount'} here, not devtmpfs`);
      return;
    }
    refused(() => checkOutputFolder('/dev/anomaly-lens-out', '--out'), /\/dev is on a devtmpfs file system/);
    assert.ok(!existsSync('/dev/anomaly-lens-out'));
  });

  it('the child server answers createSample and buildDataset into /proc with a user error', async (t) => {
    const client = newClient(t);
    for (const [type, params] of [
      [CreateSampleRequest, { out: '/proc/anomaly-lens-sample', scale: 0.01 }],
      [BuildDatasetRequest, { sources: [{ root: folder }], out: '/proc/anomaly-lens-dataset' }],
    ] as const) {
      await assert.rejects(client.request(type as typeof CreateSampleRequest, params as never, { timeoutMs: KILL_AFTER_MS }), (err: unknown) => {
        assert.ok(err instanceof ServerRequestError, String(err));
        assert.equal(err.code, ErrorCodes.UserError);
        assert.match(err.message, /\/proc is on a proc file system/);
        return true;
      });
    }
  });
});
