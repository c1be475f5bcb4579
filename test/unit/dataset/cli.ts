// Runs the built command line (`node dist/cli.js …`) for the end-to-end dataset tests.
import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const repoRoot = join(__dirname, '..', '..', '..');
export const sharedDir = join(repoRoot, '..', 'shared');
export const cliPath = join(repoRoot, 'dist', 'cli.js');

/** Builds dist/ when it is missing (the test script builds it before the suite). */
export function ensureBuilt(): void {
  if (existsSync(cliPath) && existsSync(join(repoRoot, 'dist', 'build-worker.js'))) return;
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed: ${r.stderr}`);
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const env = { ...process.env, CI: '1' };

export function runCli(args: string[]): CliRun {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function startCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot, env, stdio: 'ignore' });
}

/** `build … --json`: the parsed result and the exit code. */
export function buildJson(args: string[]): { code: number | null; result: BuildJson; stderr: string } {
  const r = runCli(['build', ...args, '--json']);
  let result: BuildJson;
  try {
    result = JSON.parse(r.stdout) as BuildJson;
  } catch {
    throw new Error(`build printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, result, stderr: r.stderr };
}

export interface BuildJson {
  out: string;
  counts: Record<'train' | 'val' | 'test', { images: number; regions: number }>;
  images: { total: number; processed: number; cached: number; skipped: number };
  imagesPerSecond: number;
  workers: number;
  errors: number;
  warnings: number;
  problems: { file: string; other?: string; message: string; severity: 'error' | 'warning' }[];
}

/** sha256 of every file below `dir` (relative path -> hash, size and mtime) to prove a tree untouched. */
export function treeDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const s = statSync(full);
      if (s.isDirectory()) walk(full);
      else out[relative(dir, full)] = `${createHash('sha256').update(readFileSync(full)).digest('hex')} ${s.size} ${s.mtimeMs}`;
    }
  };
  walk(dir);
  return out;
}

export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/** A built dataset's file name without its content tag: `images/a/000.3fa9c2d1.png` -> `images/a/000.png`. */
export function withoutContentTag(path: string): string {
  return path.replace(/\.[0-9a-f]{8}(\.[^./]+)$/, '$1');
}
