// Dataset building throughput on 1024x1024 MVTec-layout images, against the reference in the
// same run: the same build with `--reference`, which processes each image as the build did
// before its fast path (every image and mask decoded by libvips, the image read a second time
// to be copied, region masks encoded by libvips; the steps the two share are the current
// ones, so the ratio understates the gain).  Both write the same records and pixels
// (test/unit/dataset/buildReference.test.ts).  Before the builds, the source's masks are read
// in this thread both ways (the plain grey PNG decoder against libvips), CPU time per mask.
//
// The source: each of the shared MVTec sample's 25 anomalous pairs (hazelnut JPEGs, tire PNGs
// with class-id masks) scaled to 1024x1024 and saved as PNG, in `--copies` orientations.
// Builds alternate between the two paths for `--rounds` rounds; each path's best round is
// reported: images/s while processing (what `build` prints), and CPU milliseconds per image
// of the whole command (all its threads: less sensitive to other work on the machine).  Uses
// the bundled CLI (npm run build first).
//   node --import tsx bench/build.bench.ts [--copies 8] [--rounds 3] [--workers N]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { readMask } from '../server/image/mask';
import { arg } from './benchArgs';

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const shared = join(root, '..', 'shared', 'data', 'mvtec-sample');
const copies = Number(arg('--copies', '8'));
const rounds = Number(arg('--rounds', '3'));
const workers = arg('--workers', String(availableParallelism()));
const SIZE = 1024;
const TARGET = 80;

/** The shared sample's anomalous pairs at 1024x1024, `copies` orientations of each, in the MVTec AD layout. */
async function writeSource(dir: string): Promise<number> {
  let pairs = 0;
  for (const object of readdirSync(shared).filter((name) => existsSync(join(shared, name, 'ground_truth')))) {
    const from = join(shared, object);
    const to = join(dir, object);
    mkdirSync(join(to, 'train', 'good'), { recursive: true });
    if (existsSync(join(from, 'class_ids.json'))) copyFileSync(join(from, 'class_ids.json'), join(to, 'class_ids.json'));
    for (const defect of readdirSync(join(from, 'ground_truth'))) {
      mkdirSync(join(to, 'test', defect), { recursive: true });
      mkdirSync(join(to, 'ground_truth', defect), { recursive: true });
      for (const name of readdirSync(join(from, 'test', defect))) {
        const stem = name.replace(/\.[^.]+$/, '');
        for (let k = 0; k < copies; k++) {
          const turn = (s: Sharp) => (k >= 4 ? s.rotate(90 * (k % 4)).flop() : s.rotate(90 * (k % 4)));
          const image = turn(sharp(join(from, 'test', defect, name)).resize(SIZE, SIZE, { fit: 'fill' }));
          await image.png().toFile(join(to, 'test', defect, `${stem}_${k}.png`));
          const mask = turn(sharp(join(from, 'ground_truth', defect, `${stem}_mask.png`)).resize(SIZE, SIZE, { fit: 'fill', kernel: 'nearest' }));
          await mask.toColourspace('b-w').png().toFile(join(to, 'ground_truth', defect, `${stem}_${k}_mask.png`));
          pairs++;
        }
      }
    }
  }
  return pairs;
}

/** CPU milliseconds per mask (this process, libvips' threads included) reading every mask of the source, best of three passes. */
async function maskReading(source: string, generalDecoder: boolean): Promise<number> {
  const masks: { file: string; classIds: boolean }[] = [];
  for (const object of readdirSync(source)) {
    const classIds = existsSync(join(source, object, 'class_ids.json'));
    for (const defect of readdirSync(join(source, object, 'ground_truth'))) {
      for (const name of readdirSync(join(source, object, 'ground_truth', defect))) masks.push({ file: join(source, object, 'ground_truth', defect, name), classIds });
    }
  }
  let best = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const start = process.cpuUsage();
    for (const { file, classIds } of masks) await readMask(file, { classIds, generalDecoder });
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000 / masks.length);
  }
  return best;
}

interface Measure {
  images: number;
  perSecond: number;
  cpuMsPerImage: number;
}

/** One build into a fresh folder; the command's CPU time is reported by a preloaded hook at its exit. */
function build(source: string, out: string, reference: boolean): Measure {
  const cpuFile = `${out}.cpu.json`;
  const args = ['--require', join(__dirname, 'cpuAtExit.cjs'), cli, 'build', source, '--out', out, '--workers', workers, '--json', ...(reference ? ['--reference'] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, CI: '1', BENCH_CPU_FILE: cpuFile }, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`build ${reference ? '--reference ' : ''}failed (${r.status}): ${r.stderr}`);
  const result = JSON.parse(r.stdout);
  const cpu = JSON.parse(readFileSync(cpuFile, 'utf8')) as { user: number; system: number };
  rmSync(out, { recursive: true, force: true });
  return { images: result.images.processed, perSecond: result.imagesPerSecond, cpuMsPerImage: (cpu.user + cpu.system) / 1000 / result.images.processed };
}

function best(measures: Measure[]): Measure {
  return measures.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
}

function line(label: string, m: Measure): string {
  return `${label.padEnd(10)} ${m.perSecond.toFixed(1).padStart(6)} images/s, ${m.cpuMsPerImage.toFixed(1).padStart(5)} ms CPU per image`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'al-bench-build-'));
  try {
    const source = join(dir, 'mvtec');
    const started = Date.now();
    const pairs = await writeSource(source);
    console.log(`source: ${pairs} anomalous ${SIZE}x${SIZE} PNG pairs, MVTec AD layout (written in ${((Date.now() - started) / 1000).toFixed(1)} s); ${workers} worker threads, ${availableParallelism()} cores; load average ${loadavg()[0].toFixed(1)}`);
    const [plain, general] = [await maskReading(source, false), await maskReading(source, true)];
    console.log(`mask reading: ${plain.toFixed(2)} ms CPU per mask in this thread, ${general.toFixed(2)} ms with libvips (ratio ${(general / plain).toFixed(2)})`);
    const reference: Measure[] = [];
    const fast: Measure[] = [];
    for (let round = 0; round < rounds; round++) {
      reference.push(build(source, join(dir, `reference-${round}`), true));
      fast.push(build(source, join(dir, `fast-${round}`), false));
    }
    const r = best(reference);
    const f = best(fast);
    console.log(line('reference', r));
    console.log(line('build', f));
    console.log(
      `ratio ${(f.perSecond / r.perSecond).toFixed(2)} in images/s, ${(r.cpuMsPerImage / f.cpuMsPerImage).toFixed(2)} in CPU per image (best of ${rounds} rounds each); ` +
        `target >= ${TARGET} images/s: ${f.perSecond >= TARGET ? 'met' : 'not met'}; load average now ${loadavg()[0].toFixed(1)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
