import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { loadBundle } from '../../../server/model/bundle';
import type { TrainEvent } from '../../../server/jobs/trainProgress';
import { CLI, CLIP_MERGES, TORCH_PYTHON, runTorchScript, tempDir, writeClipCheckpoint, writeDataset } from './fixtures';

function cli(args: string[]) {
  assert.ok(existsSync(CLI), 'dist/cli.js exists (npm run build)');
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ANOMALY_LENS_PYTHON: TORCH_PYTHON }, timeout: 300_000 });
}

function events(stdout: string): TrainEvent[] {
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as TrainEvent);
}

const FAST = ['--batch', '8', '--device', 'cpu', '--workers', '1'];

describe('anomaly-lens train / export / import-weights', () => {
  it('trains the tiny model from scratch for an epoch and exports a bundle the runtime loads', async (t) => {
    const dir = tempDir(t);
    const data = writeDataset(join(dir, 'ds'));
    const run = join(dir, 'run');
    const result = cli(['train', '--dataset', data.root, '--out', run, '--epochs', '1', ...FAST, '--json']);
    assert.equal(result.status, 0, result.stderr);
    const all = events(result.stdout);
    const done = all[all.length - 1];
    assert.equal(done.type, 'done');
    assert.ok(all.some((e) => e.type === 'start') && all.some((e) => e.type === 'eval'));
    const bundleDir = done.type === 'done' ? (done.paths.bundle as string) : '';
    assert.equal(bundleDir, join(run, 'bundle'));
    const bundle = loadBundle(bundleDir);
    assert.deepEqual(bundle.manifest.descriptions, data.descriptions);
    assert.equal(bundle.manifest.size, 'tiny');
    assert.equal(bundle.manifest.provenance?.kind, 'trained');
    const tokens = JSON.parse(readFileSync(join(run, 'tokens.json'), 'utf8')) as { texts: Array<{ text: string; input_ids: number[] }> };
    assert.deepEqual(tokens.texts.map((row) => row.input_ids), data.descriptions.map((text) => bundle.tokenizer.encodeForModel(text).inputIds));

    const exported = cli(['export', run, '--out', join(dir, 'again'), '--checkpoint', 'last']);
    assert.equal(exported.status, 0, exported.stderr);
    assert.equal(exported.stdout, `bundle written to ${join(dir, 'again')}\n`);
    assert.deepEqual(loadBundle(join(dir, 'again')).manifest.descriptions, data.descriptions);

    const resumed = cli(['train', '--out', run, ...FAST]);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stdout, /^training finished: 2 steps/);
    assert.match(resumed.stdout, new RegExp(`bundle: ${join(run, 'bundle')}`));
  });

  it('imports CLIP-format weights as a bundle and fine-tunes it with LoRA', async (t) => {
    const dir = tempDir(t);
    const data = writeDataset(join(dir, 'ds'), { train: 4, val: 2 });
    const clip = join(dir, 'clip-tiny.pt');
    writeClipCheckpoint(clip);

    const imported = join(dir, 'imported');
    const result = cli(['import-weights', '--clip', clip, '--vocab', CLIP_MERGES, '--out', imported, '--dataset', data.root]);
    assert.equal(result.status, 0, result.stderr);
    const bundle = loadBundle(imported);
    assert.equal(bundle.manifest.provenance?.kind, 'imported');
    assert.deepEqual(bundle.manifest.descriptions, data.descriptions);
    assert.ok(existsSync(join(imported, 'weights.pt')));

    const run = join(dir, 'run');
    const trained = cli(['train', '--dataset', data.root, '--out', run, '--init', imported, '--lora-r', '4', '--epochs', '1', ...FAST, '--json']);
    assert.equal(trained.status, 0, trained.stderr);
    const start = events(trained.stdout).find((e) => e.type === 'start');
    assert.equal(start?.type === 'start' && start.config.tune, 'lora');
    const tuned = loadBundle(join(run, 'bundle'));
    assert.equal(tuned.tokenizer.vocabSize, 49408);
    assert.deepEqual((tuned.manifest.provenance?.base as { init: string }).init, imported);
  });

  it('reads --init as a full pickle only with --init-trusted: otherwise one line naming the file and the flag, exit 2, and none of its code runs', async (t) => {
    const dir = tempDir(t);
    const data = writeDataset(join(dir, 'ds'), { train: 2, val: 1 });
    const hostile = join(dir, 'weights.pt');
    const marker = join(dir, 'ran.txt');
    runTorchScript([
      'import sys, torch',
      'class RunsCode:',
      '    def __reduce__(self):',
      '        return (exec, ("open(%r, \'w\').write(\'ran\')" % sys.argv[2],))',
      'torch.save({"state_dict": RunsCode()}, sys.argv[1])',
    ], [hostile, marker]);
    const refused = cli(['train', '--dataset', data.root, '--out', join(dir, 'run'), '--init', hostile, '--vocab', CLIP_MERGES, ...FAST]);
    assert.equal(refused.status, 2, refused.stderr);
    assert.equal(refused.stderr.split('\n').filter((l) => l.startsWith('anomaly-lens:')).length, 1, refused.stderr);
    assert.doesNotMatch(refused.stderr, /Traceback|internal error/);
    assert.match(refused.stderr, new RegExp(`${hostile}: .*can run any code.*add --init-trusted`));
    assert.equal(existsSync(marker), false, 'the file\'s code ran');

    // A run's own checkpoint is such a file: trusted explicitly, training starts from it.
    const base = join(dir, 'base');
    assert.equal(cli(['train', '--dataset', data.root, '--out', base, '--max-steps', '1', '--no-export', ...FAST]).status, 0);
    const untrusted = cli(['train', '--dataset', data.root, '--out', join(dir, 'run2'), '--init', join(base, 'last.pt'), '--max-steps', '1', '--no-export', ...FAST]);
    assert.equal(untrusted.status, 2, untrusted.stderr);
    assert.match(untrusted.stderr, /last\.pt: holds Python objects besides tensors.*can run any code.*--init-trusted/);
    const trusted = cli(['train', '--dataset', data.root, '--out', join(dir, 'run3'), '--init', join(base, 'last.pt'), '--init-trusted', '--max-steps', '1', '--no-export', ...FAST]);
    assert.equal(trusted.status, 0, trusted.stderr);
  });

  it('refuses an invalid dataset before starting anything', async (t) => {
    const dir = tempDir(t);
    const data = writeDataset(join(dir, 'ds'), { train: 2, val: 1 });
    const lines = readFileSync(join(data.root, 'train.jsonl'), 'utf8').trim().split('\n');
    const record = JSON.parse(lines[1]);
    record.regions[0].mask = '../../etc/passwd';
    lines[1] = JSON.stringify(record);
    writeFileSync(join(data.root, 'train.jsonl'), `${lines.join('\n')}\n`);
    const result = cli(['train', '--dataset', data.root, '--out', join(dir, 'run'), ...FAST]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /train\.jsonl:2: .*escapes the dataset root/);
    assert.match(result.stderr, /has 1 problem\(s\) \(above\); fix them, or train anyway with --no-validate/);
    assert.equal(existsSync(join(dir, 'run', 'run.json')), false);

    const noDataset = cli(['train', '--out', join(dir, 'run2')]);
    assert.equal(noDataset.status, 2);
    assert.match(noDataset.stderr, /--dataset is required/);
  });
});

describe('one training run per run folder', () => {
  it('refuses a second train into a run folder whose lock names a live process, and takes over a dead one\'s', async (t) => {
    const dir = tempDir(t);
    const data = writeDataset(join(dir, 'ds'), { train: 2, val: 1 });
    const run = join(dir, 'run');
    mkdirSync(run, { recursive: true });
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    t.after(() => sleeper.kill());
    const lock = join(run, '.anomaly-lens-train.lock');
    writeFileSync(lock, JSON.stringify({ pid: sleeper.pid, host: hostname(), command: 'anomaly-lens train', since: '2026-01-01T00:00:00Z' }));
    const refused = cli(['train', '--dataset', data.root, '--out', run, '--epochs', '1', ...FAST]);
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, new RegExp(`run folder .* is in use by anomaly-lens train \\(pid ${sleeper.pid} on ${hostname()}`));
    assert.ok(!existsSync(join(run, 'tokens.json')), 'nothing was prepared in the run folder');

    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']);
    writeFileSync(lock, JSON.stringify({ pid: dead.pid, host: hostname(), command: 'anomaly-lens train', since: '2026-01-01T00:00:00Z' }));
    const trained = cli(['train', '--dataset', data.root, '--out', run, '--epochs', '1', '--no-export', ...FAST]);
    assert.equal(trained.status, 0, trained.stderr);
    assert.ok(!existsSync(lock), 'the lock is released when the run ends');
  });
});
