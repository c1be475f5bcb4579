// Runs the command line from source (`node --import tsx server/cli/main.ts …`) with a time
// limit, reporting the child's peak memory (maxRSS) through a preload that prints it at exit.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
const CLI_MAIN = join(REPO_ROOT, 'server', 'cli', 'main.ts');
const PRELOAD = join(tmpdir(), `anomaly-lens-max-rss-${process.pid}.cjs`);
writeFileSync(PRELOAD, "process.on('exit', () => process.stderr.write(`\\nmax-rss-kb=${process.resourceUsage().maxRSS}\\n`));\n");

export interface TimedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak resident memory of the child in MB (undefined when it did not exit by itself). */
  peakMb?: number;
}

export function runCliTimed(args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): TimedRun {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', PRELOAD, '--import', 'tsx', CLI_MAIN, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', ...options.env },
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rss = /\nmax-rss-kb=(\d+)\n/.exec(r.stderr ?? '');
  const stderr = (r.stderr ?? '').replace(/\nmax-rss-kb=\d+\n/, '');
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr, seconds, ...(rss ? { peakMb: Number(rss[1]) / 1024 } : {}) };
}
