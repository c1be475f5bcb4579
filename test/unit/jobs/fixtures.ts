// Shared by the jobs tests: the Python that has PyTorch, and the trainer's test dataset (written
// by test/trainer/fixtures.py, the same builder the Python tests use).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const SHARED = join(REPO_ROOT, '..', 'shared');
export const CLIP_MERGES = join(SHARED, 'data', 'clip-bpe', 'bpe_simple_vocab_16e6.txt.gz');
export const CLI = join(REPO_ROOT, 'dist', 'cli.js');
/** Debian's Python, which has torch (the python3 on PATH may not). */
export const TORCH_PYTHON = process.env.ANOMALY_LENS_PYTHON || '/usr/bin/python3';

export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'al-jobs-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface FixtureInfo {
  root: string;
  descriptions: string[];
  counts: Record<'train' | 'val' | 'test', { images: number; regions: number }>;
}

/** A small valid region dataset: images with 1-3 coloured regions of four defect classes. */
export function writeDataset(out: string, options: { train?: number; val?: number; seed?: number } = {}): FixtureInfo {
  const args = [join(REPO_ROOT, 'test', 'trainer', 'fixtures.py'), out, '--train', String(options.train ?? 8), '--val', String(options.val ?? 3),
    '--seed', String(options.seed ?? 0)];
  const run = spawnSync(TORCH_PYTHON, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`fixtures.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim()) as FixtureInfo;
}

/** Runs a Python program (its lines) with PyTorch and the trainer's package importable; it must succeed. */
export function runTorchScript(lines: readonly string[], args: readonly string[]): void {
  const run = spawnSync(TORCH_PYTHON, ['-c', lines.join('\n'), ...args], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: join(REPO_ROOT, 'server', 'trainer') } });
  if (run.status !== 0) throw new Error(`the Python script failed: ${run.stderr}`);
}

/** A tiny model saved the way OpenAI CLIP names its tensors (full 49408-token vocabulary). */
export function writeClipCheckpoint(file: string): void {
  runTorchScript([
    'import sys, torch',
    'from anomaly_lens.model import build_model',
    'torch.manual_seed(0)',
    'state = build_model("tiny").state_dict()',
    'state = {k.replace(".attn.in_proj.weight", ".attn.in_proj_weight").replace(".attn.in_proj.bias", ".attn.in_proj_bias"): v',
    '         for k, v in state.items() if k != "visual.conv1_alpha.weight"}',
    'torch.save(state, sys.argv[1])',
  ], [file]);
}

/** An executable that is a real Python without site-packages: it cannot import torch. */
export function pythonWithoutTorch(dir: string): string {
  const file = join(dir, 'python-without-torch');
  writeFileSync(file, `#!/bin/sh\nexec ${TORCH_PYTHON} -S "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

/** An executable standing in for Python that writes `lines` to stdout and exits with `code`. */
export function scriptedTrainer(dir: string, lines: string[], code: number, stderr = ''): string {
  const file = join(dir, 'scripted-trainer');
  const body = lines.map((line) => `printf '%s\\n' '${line.replace(/'/g, `'\\''`)}'`).join('\n');
  writeFileSync(file, `#!/bin/sh\n${body}\n${stderr ? `echo '${stderr}' >&2\n` : ''}exit ${code}\n`);
  chmodSync(file, 0o755);
  return file;
}
