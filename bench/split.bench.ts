// Region splitting: anomaly-lens's DBSCAN (server/masks) against density-clustering's DBSCAN
// on the same masks in the same run (time, speed ratio, identical partitions), then a
// 1024x1024 mask with ~300,000 anomalous pixels that only anomaly-lens can split, against
// 8-connected components as the reference.  Exits 1 when a partition differs.
//   npm run bench:split [-- --sample DIR] [--rounds N]
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DBSCAN } from 'density-clustering';
import { readMask } from '../server/image/mask';
import { splitMask } from '../server/masks/split';
import type { LabelMask, SplitOptions, SplitResult } from '../server/masks/types';
import { arg, seededRandom } from './benchArgs';

const sampleDir = arg('--sample', join(__dirname, '..', '..', 'shared', 'data', 'mvtec-sample'));
const rounds = Number(arg('--rounds', '15'));
const LIBRARY_MIN_PIXELS = 15000;

// ---- masks ----------------------------------------------------------------------------

const random = seededRandom();

function foregroundCount(mask: LabelMask): number {
  let n = 0;
  for (const v of mask.values) if (v !== 0) n++;
  return n;
}

/** Ellipses (touching and overlapping), thin strokes and speckle until `target` pixels are set. */
function syntheticMask(width: number, height: number, target: number, style: { maxRadius: number; speckle: number; strokes: number }): LabelMask {
  const values = new Uint16Array(width * height);
  let count = 0;
  const set = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = y * width + x;
    if (!values[i]) count++;
    values[i] = 1;
  };
  while (count < target) {
    const cx = random() * width;
    const cy = random() * height;
    if (random() < style.strokes) {
      const angle = random() * Math.PI;
      const length = 20 + random() * style.maxRadius * 4;
      for (let s = 0; s < length; s++) set(Math.round(cx + Math.cos(angle) * s), Math.round(cy + Math.sin(angle) * s));
      continue;
    }
    const rx = 2 + random() * style.maxRadius;
    const ry = 2 + random() * style.maxRadius;
    for (let y = Math.floor(cy - ry); y <= cy + ry; y++) {
      for (let x = Math.floor(cx - rx); x <= cx + rx; x++) {
        const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
        if (d <= 1) set(x, y);
        else if (d <= 1.6 && random() < style.speckle) set(x, y);
      }
    }
  }
  return { width, height, values };
}

function findMasks(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findMasks(full));
    else if (name.endsWith('_mask.png') && full.includes('ground_truth')) out.push(full);
  }
  return out.sort();
}

// ---- measuring --------------------------------------------------------------------------

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** Median of `rounds` timed runs, after a few untimed ones that let the JIT compile. */
function medianTime<T>(fn: () => T): { ms: number; value: T } {
  for (let k = 0; k < 3; k++) fn();
  const runs = Array.from({ length: rounds }, () => time(fn));
  runs.sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)];
}

/** Cluster of every foreground pixel (or -1 for noise), from the library's clusters. */
function libraryLabels(mask: LabelMask, eps: number, minPts: number): { ms: number; labels: Int32Array; pixels: number[] } {
  const pixels: number[] = [];
  for (let i = 0; i < mask.values.length; i++) if (mask.values[i]) pixels.push(i);
  const points = pixels.map((i) => [i % mask.width, Math.floor(i / mask.width)]);
  const { ms, value: clusters } = time(() => new DBSCAN().run(points, eps, minPts));
  const labels = new Int32Array(mask.values.length).fill(-1);
  clusters.forEach((cluster, c) => {
    for (const k of cluster) labels[pixels[k]] = c;
  });
  return { ms, labels, pixels };
}

function resultLabels(size: number, result: SplitResult): Int32Array {
  const labels = new Int32Array(size).fill(-1);
  result.regions.forEach((region, r) => {
    for (const i of region.pixels) labels[i] = r;
  });
  return labels;
}

/** Same partition: a one-to-one map between the two numberings, and the same noise pixels. */
function samePartition(a: Int32Array, b: Int32Array, pixels: Iterable<number>): boolean {
  const aToB = new Map<number, number>();
  const bToA = new Map<number, number>();
  for (const i of pixels) {
    const x = a[i];
    const y = b[i];
    if ((x < 0) !== (y < 0)) return false;
    if (x < 0) continue;
    if ((aToB.get(x) ?? y) !== y || (bToA.get(y) ?? x) !== x) return false;
    aToB.set(x, y);
    bToA.set(y, x);
  }
  return true;
}

// ---- runs -------------------------------------------------------------------------------

interface Case {
  name: string;
  mask: LabelMask;
  eps: number;
  minPts: number;
}

interface Row {
  name: string;
  pixels: number;
  params: string;
  regions: number;
  noise: number;
  libraryMs: number;
  oursMs: number;
  identical: boolean;
}

async function main(): Promise<void> {
  const cases: Case[] = [];
  if (existsSync(sampleDir)) {
    const real = await Promise.all(findMasks(sampleDir).map(async (file) => ({ file, mask: (await readMask(file)).mask })));
    for (const { file, mask } of real.filter(({ mask }) => foregroundCount(mask) >= LIBRARY_MIN_PIXELS)) {
      const name = relative(sampleDir, file);
      cases.push({ name, mask, eps: 1.5, minPts: 1 }, { name, mask, eps: 3, minPts: 8 });
    }
  } else {
    console.log(`notice: ${sampleDir} not found; real sample masks skipped (synthetic masks only)`);
  }
  const blobs = syntheticMask(512, 512, 15500, { maxRadius: 25, speckle: 0, strokes: 0 });
  const speckled = syntheticMask(512, 512, 18000, { maxRadius: 18, speckle: 0.25, strokes: 0 });
  const strokes = syntheticMask(512, 512, 20000, { maxRadius: 12, speckle: 0.1, strokes: 0.5 });
  cases.push(
    { name: 'synthetic blobs', mask: blobs, eps: 1.5, minPts: 1 },
    { name: 'synthetic blobs + speckle', mask: speckled, eps: 2.5, minPts: 5 },
    { name: 'synthetic blobs + speckle', mask: speckled, eps: 1.5, minPts: 3 },
    { name: 'synthetic strokes + blobs', mask: strokes, eps: 1.5, minPts: 1 },
  );

  const rows: Row[] = [];
  let failed = false;
  for (const c of cases) {
    const options: Partial<SplitOptions> = { mode: 'dbscan', eps: c.eps, minPts: c.minPts, perClass: false };
    const ours = medianTime(() => splitMask(c.mask, options));
    const library = libraryLabels(c.mask, c.eps, c.minPts);
    const identical = samePartition(library.labels, resultLabels(c.mask.values.length, ours.value), library.pixels);
    if (!identical) failed = true;
    const row = { name: c.name, pixels: library.pixels.length, params: `eps ${c.eps}, minPts ${c.minPts}`, regions: ours.value.regions.length, noise: ours.value.noise, libraryMs: library.ms, oursMs: ours.ms, identical };
    rows.push(row);
    console.log(`  ${row.name} (${row.params}): density-clustering ${row.libraryMs.toFixed(0)} ms, anomaly-lens ${row.oursMs.toFixed(2)} ms, ${identical ? 'identical' : 'DIFFERENT'}`);
  }

  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(`\nDBSCAN: density-clustering (one run) vs anomaly-lens (median of ${rounds} runs)`);
  console.log(`${'mask'.padEnd(52)} ${pad('pixels', 7)} ${'params'.padEnd(18)} ${pad('regions', 7)} ${pad('noise', 6)} ${pad('density-clustering ms', 21)} ${pad('anomaly-lens ms', 15)} ${pad('speed-up', 9)}  partition`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(52)} ${pad(r.pixels, 7)} ${r.params.padEnd(18)} ${pad(r.regions, 7)} ${pad(r.noise, 6)} ${pad(r.libraryMs.toFixed(0), 21)} ${pad(r.oursMs.toFixed(2), 15)} ${pad(`${Math.round(r.libraryMs / r.oursMs)}x`, 9)}  ${r.identical ? 'identical' : 'DIFFERENT'}`);
  }
  const ratios = rows.map((r) => r.libraryMs / r.oursMs);
  console.log(`speed-up: min ${Math.round(Math.min(...ratios))}x, max ${Math.round(Math.max(...ratios))}x over ${rows.length} runs; partitions ${failed ? 'DIFFER' : 'all identical'}`);

  // A mask no quadratic implementation can split in reasonable time.
  const large = syntheticMask(1024, 1024, 300000, { maxRadius: 40, speckle: 0.2, strokes: 0.2 });
  const largePixels = foregroundCount(large);
  const cc8 = medianTime(() => splitMask(large, { mode: 'cc8', perClass: false }));
  console.log(`\n1024x1024 mask, ${largePixels} anomalous pixels: anomaly-lens only (reference: its 8-connected components; median of ${rounds} runs)`);
  console.log(`${'method'.padEnd(30)} ${pad('regions', 8)} ${pad('noise', 7)} ${pad('ms', 8)} ${pad('vs cc8', 7)}`);
  console.log(`${'cc8 (reference)'.padEnd(30)} ${pad(cc8.value.regions.length, 8)} ${pad(0, 7)} ${pad(cc8.ms.toFixed(1), 8)} ${pad('1.0x', 7)}`);
  for (const [eps, minPts] of [[1.5, 1], [3, 8], [6, 40]]) {
    const run = medianTime(() => splitMask(large, { mode: 'dbscan', eps, minPts, perClass: false }));
    console.log(`${`dbscan eps ${eps}, minPts ${minPts}`.padEnd(30)} ${pad(run.value.regions.length, 8)} ${pad(run.value.noise, 7)} ${pad(run.ms.toFixed(1), 8)} ${pad(`${(run.ms / cc8.ms).toFixed(1)}x`, 7)}`);
    if (eps === 1.5 && minPts === 1) {
      const same = samePartition(resultLabels(large.values.length, run.value), resultLabels(large.values.length, cc8.value), large.values.keys());
      console.log(`${''.padEnd(30)} partition ${same ? 'identical to cc8' : 'DIFFERENT from cc8'}`);
      if (!same) failed = true;
    }
  }

  if (failed) {
    console.error('\nFAIL: a partition differs');
    process.exitCode = 1;
  }
}

void main();
