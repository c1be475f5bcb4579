// Dataset building: worker threads against the same build in one thread, in the same run,
// on a generated sample and on the shared MVTec sample (images/s and the ratio).  Uses the
// bundled CLI (npm run build first).
//   node --import tsx bench/build.bench.ts [--scale S] [--workers N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg } from './benchArgs';

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const scale = arg('--scale', '0.5');
const workers = arg('--workers', String(availableParallelism()));
const shared = join(root, '..', 'shared', 'data', 'mvtec-sample');

function run(args: string[]): string {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' }, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function build(sources: string[], out: string, threads: string): { images: number; perSecond: number } {
  const result = JSON.parse(run(['build', ...sources, '--out', out, '--workers', threads, '--json']));
  return { images: result.images.processed, perSecond: result.imagesPerSecond };
}

function compare(label: string, sources: string[], dir: string): void {
  const single = build(sources, join(dir, `${label}-1`), '0');
  const multi = build(sources, join(dir, `${label}-n`), workers);
  console.log(
    `${label.padEnd(10)} ${String(single.images).padStart(5)} images: one thread ${single.perSecond.toFixed(1)} images/s, ` +
      `${workers} workers ${multi.perSecond.toFixed(1)} images/s, ratio ${(multi.perSecond / single.perSecond).toFixed(2)}`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'al-bench-build-'));
try {
  run(['sample', join(dir, 'sample'), '--scale', scale, '--seed', '1']);
  compare('generated', [join(dir, 'sample', 'synthetic'), join(dir, 'sample', 'mvtec')], dir);
  compare('mvtec', [shared], dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
