// Peak memory of a build per worker thread, for 4000x4000 image + mask pairs: builds the same
// source with 1 and 2 (and more, with --workers-list) worker threads and reports the peak
// resident memory (maxRSS) of each build; the growth from one worker count to the next is the
// memory one more worker takes.  Runs dist/cli.js (npm run build first), else the sources.
//   npm run bench:memory [-- --size 4000] [--pairs 4] [--workers-list 1,2]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { arg } from './benchArgs';

const size = Number(arg('--size', '4000'));
const pairs = Number(arg('--pairs', '4'));
const workerCounts = arg('--workers-list', '1,2').split(',').map(Number);
const repo = join(__dirname, '..');
const root = mkdtempSync(join(tmpdir(), 'anomaly-lens-memory-'));

/** A textured RGB image (compresses like a photograph, not like a flat colour). */
async function writeImage(file: string, seed: number): Promise<void> {
  const px = Buffer.alloc(size * size * 3);
  let s = seed;
  for (let i = 0; i < size * size; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const x = i % size;
    const y = (i / size) | 0;
    const noise = s >>> 28;
    px[i * 3] = ((x >> 3) + noise) & 255;
    px[i * 3 + 1] = ((y >> 3) + noise) & 255;
    px[i * 3 + 2] = ((x + y) >> 4) & 255;
  }
  await sharp(px, { raw: { width: size, height: size, channels: 3 } }).png().toFile(file);
}

/** A mask with a few discs of different sizes (about 3 % of the pixels anomalous). */
async function writeMask(file: string, seed: number): Promise<void> {
  const px = Buffer.alloc(size * size);
  const discs = [[0.3, 0.3, 0.08], [0.7, 0.4, 0.05], [0.5, 0.75, 0.03], [0.2, 0.8, 0.01]];
  for (const [cx, cy, r] of discs) {
    const x0 = Math.round((cx + seed * 0.01) * size);
    const y0 = Math.round(cy * size);
    const radius = Math.round(r * size);
    for (let y = Math.max(0, y0 - radius); y < Math.min(size, y0 + radius); y++) {
      for (let x = Math.max(0, x0 - radius); x < Math.min(size, x0 + radius); x++) {
        if ((x - x0) ** 2 + (y - y0) ** 2 < radius * radius) px[y * size + x] = 255;
      }
    }
  }
  await sharp(px, { raw: { width: size, height: size, channels: 1 } }).toColourspace('b-w').png().toFile(file);
}

async function writeSource(dir: string): Promise<void> {
  const obj = join(dir, 'widget');
  for (const sub of ['train/good', 'test/good', 'test/crack', 'ground_truth/crack']) mkdirSync(join(obj, sub), { recursive: true });
  await writeImage(join(obj, 'train', 'good', '000.png'), 1);
  await writeImage(join(obj, 'test', 'good', '000.png'), 2);
  for (let k = 0; k < pairs; k++) {
    const stem = String(k).padStart(3, '0');
    await writeImage(join(obj, 'test', 'crack', `${stem}.png`), 10 + k);
    await writeMask(join(obj, 'ground_truth', 'crack', `${stem}_mask.png`), k);
  }
}

function peakOfBuild(source: string, workers: number): { mb: number; seconds: number } {
  const preload = join(root, 'max-rss.cjs');
  writeFileSync(preload, "process.on('exit', () => process.stderr.write(`\\nmax-rss-kb=${process.resourceUsage().maxRSS}\\n`));\n");
  const dist = join(repo, 'dist', 'cli.js');
  const cli = existsSync(dist) ? [dist] : ['--import', 'tsx', join(repo, 'server', 'cli', 'main.ts')];
  const out = join(root, `out-${workers}`);
  const start = Date.now();
  const run = spawnSync(process.execPath, ['--require', preload, ...cli, 'build', source, '--out', out, '--workers', String(workers), '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (Date.now() - start) / 1000;
  const rss = /max-rss-kb=(\d+)/.exec(run.stderr);
  if (run.status !== 0 || !rss) throw new Error(`build with ${workers} worker(s) failed (exit ${run.status}):\n${run.stderr}`);
  const images = (JSON.parse(run.stdout) as { images: { processed: number } }).images.processed;
  if (images !== pairs) throw new Error(`build with ${workers} worker(s) processed ${images} images, not ${pairs}`);
  rmSync(out, { recursive: true, force: true });
  return { mb: Number(rss[1]) / 1024, seconds };
}

/**
 * The working set of one image in one thread: processSample on one pair in a fresh process,
 * peak resident memory minus the resident memory once the modules are loaded.
 */
function onePairInThisThread(source: string): number {
  const image = join(source, 'widget', 'test', 'crack', '000.png');
  const mask = join(source, 'widget', 'ground_truth', 'crack', '000_mask.png');
  const out = join(root, 'out-one');
  mkdirSync(out, { recursive: true });
  const job = { image, mask, object: 'widget', defect: 'crack', split: 'test', destImage: 'images/000.png', destMaskStem: 'masks/000' };
  const script = `
    const { processSample } = require(${JSON.stringify(join(repo, 'server', 'dataset', 'processSample.ts'))});
    require('sharp');
    const before = process.memoryUsage().rss;
    processSample({ job: ${JSON.stringify(job)}, out: ${JSON.stringify(out)}, params: { mode: 'dbscan', eps: 1.5, minPts: 1, minArea: 0 } }).then((outcome) => {
      if (!outcome.record) throw new Error(JSON.stringify(outcome.problems));
      process.stdout.write(String(process.resourceUsage().maxRSS * 1024 - before));
    });`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', cwd: repo });
  if (run.status !== 0) throw new Error(`one pair in one thread failed:\n${run.stderr}`);
  return Number(run.stdout) / 2 ** 20;
}

async function main(): Promise<void> {
  try {
    const source = join(root, 'source');
    await writeSource(source);
    console.log(`one ${size}x${size} image + mask pair processed in one thread: ${onePairInThisThread(source).toFixed(0)} MB above the loaded process`);
    console.log(`build of ${pairs} ${size}x${size} image + mask pairs: peak resident memory (maxRSS) by worker count`);
    console.log('workers  peak (MB)  time (s)  per extra worker (MB)');
    let previous: { workers: number; mb: number } | undefined;
    for (const workers of workerCounts) {
      const { mb, seconds } = peakOfBuild(source, workers);
      const extra = previous ? ((mb - previous.mb) / (workers - previous.workers)).toFixed(0) : '';
      console.log(`${String(workers).padStart(7)}${mb.toFixed(0).padStart(11)}${seconds.toFixed(1).padStart(10)}  ${extra}`);
      previous = { workers, mb };
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
