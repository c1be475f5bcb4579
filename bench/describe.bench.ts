// Describing regions with a real-size model: milliseconds per region of a warm `describe` (an
// image with several designated regions -> top-5 of the bundle's descriptions, in-process) for
// random-weight ViT-B/16 and ViT-L/14@336px AlphaCLIP bundles, against the embedded tiny default
// model measured in the same run. ONNX Runtime on the CPU with its graph optimisation on (as the
// product opens every encoder), and on the CUDA provider where one is installed.
//   npm run bench:describe [-- --sizes ViT-B/16,ViT-L/14@336px] [--regions 4] [--rounds 5]
//                             [--threads N] [--cache DIR]
// The random bundles are built with the trainer's model code and written by its export
// (bench/describe_bundle.py, in $ANOMALY_LENS_PYTHON, default /usr/bin/python3) into a cache
// (default: anomaly-lens-bench-describe in the OS temp folder), keyed by the trainer's sources,
// and reused by later runs. Nothing is downloaded.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { Predictor } from '../server/model';
import { defaultBundleDir } from '../server/model/defaultBundle';
import { ClipTokenizer, learnMerges, writeMergesFile, writeTokenFile } from '../server/model/tokenizer';
import { arg, seededRandom } from './benchArgs';

const repo = join(__dirname, '..');
const sizes = arg('--sizes', 'ViT-B/16,ViT-L/14@336px').split(',').filter(Boolean);
const regionCount = Number(arg('--regions', '4'));
const rounds = Number(arg('--rounds', '5'));
const threads = Number(arg('--threads', String(availableParallelism())));
const python = process.env.ANOMALY_LENS_PYTHON ?? '/usr/bin/python3';
const cacheRoot = arg('--cache', join(tmpdir(), 'anomaly-lens-bench-describe'));

const DESCRIPTIONS = [
  'crack in hazelnut', 'cut in hazelnut', 'hole in hazelnut', 'print on hazelnut', 'scratch on wood', 'hole in wood',
  'cut inner insulation of cable', 'bent wire in cable', 'broken teeth in zipper', 'glue strip on tile', 'contamination in bottle',
  'broken large part of bottle', 'faulty imprint on capsule', 'squeezed capsule', 'color stain on carpet', 'metal contamination in carpet',
];

/** What a cached bundle depends on: the size, the descriptions and the trainer's model and export code. */
function cacheKey(size: string): string {
  const hash = createHash('sha256').update(size).update(JSON.stringify(DESCRIPTIONS));
  for (const file of ['config.py', 'model.py', 'export.py']) hash.update(readFileSync(join(repo, 'server', 'trainer', 'anomaly_lens', file)));
  hash.update(readFileSync(join(repo, 'bench', 'describe_bundle.py')));
  return `${size.replace(/[^A-Za-z0-9]+/g, '-')}-${hash.digest('hex').slice(0, 16)}`;
}

/** The random bundle of a size: from the cache, or built and exported now (written aside, then renamed). */
async function randomBundle(size: string): Promise<{ dir: string; built: boolean; seconds: number }> {
  const dir = join(cacheRoot, cacheKey(size));
  if (existsSync(join(dir, 'bundle.json'))) return { dir, built: false, seconds: 0 };
  mkdirSync(cacheRoot, { recursive: true });
  const work = mkdtempSync(join(cacheRoot, 'building-'));
  try {
    const merges = learnMerges(DESCRIPTIONS, 80);
    const mergesFile = join(work, 'merges.txt.gz');
    await writeMergesFile(mergesFile, merges);
    const tokens = join(work, 'tokens.json');
    await writeTokenFile(DESCRIPTIONS, new ClipTokenizer(merges), tokens);
    process.stderr.write(`building and exporting a random ${size} AlphaCLIP with the trainer (once; cached in ${cacheRoot})…\n`);
    const start = process.hrtime.bigint();
    const py = spawnSync(python, [join(repo, 'bench', 'describe_bundle.py'), '--out', join(work, 'bundle'), '--tokens', tokens, '--merges', mergesFile, '--size', size], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, PYTHONPATH: join(repo, 'server', 'trainer') },
    });
    if (py.status !== 0) throw new Error(`${python} bench/describe_bundle.py --size ${size} failed (${py.status ?? py.error?.message}):\n${py.stderr}`);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    renameSync(join(work, 'bundle'), dir);
    return { dir, built: true, seconds };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A 1024 x 1024 noise image and one mask per region: rectangles of different sizes, apart. */
async function inputs(dir: string): Promise<{ image: string; masks: string[] }> {
  const W = 1024;
  const random = seededRandom();
  const noise = Buffer.alloc(W * W * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(random() * 256);
  const image = join(dir, 'image.png');
  await sharp(noise, { raw: { width: W, height: W, channels: 3 } }).png().toFile(image);
  const masks: string[] = [];
  for (let k = 0; k < regionCount; k++) {
    const mask = Buffer.alloc(W * W);
    const [x, y, w, h] = [40 + ((k * 230) % 800), 60 + ((k * 170) % 700), 40 + 20 * k, 60 + 10 * k];
    for (let r = y; r < y + h; r++) mask.fill(255, r * W + x, r * W + x + w);
    const file = join(dir, `mask-${k}.png`);
    await sharp(mask, { raw: { width: W, height: W, channels: 1 } }).png().toFile(file);
    masks.push(file);
  }
  return { image, masks };
}

interface Timing {
  msPerRegion: number;
  minMsPerRegion: number;
  imageSize: number;
}

/** Warm describe of every region of the image, `rounds` times after one warm-up: median and best ms per region. */
async function timeDescribe(bundle: string, provider: 'cpu' | 'cuda', input: { image: string; masks: string[] }): Promise<Timing> {
  const predictor = await Predictor.open(bundle, { executionProviders: [provider], intraOpNumThreads: threads });
  try {
    const run = () => predictor.describeRegions(input.image, input.masks, predictor.descriptions, 5);
    await run();
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const start = process.hrtime.bigint();
      await run();
      times.push(Number(process.hrtime.bigint() - start) / 1e6 / input.masks.length);
    }
    times.sort((a, b) => a - b);
    return { msPerRegion: times[Math.floor(times.length / 2)], minMsPerRegion: times[0], imageSize: predictor.bundle.manifest.imageSize };
  } finally {
    await predictor.close();
  }
}

/** Whether onnxruntime-node can open a session on the CUDA provider here, and why not. */
async function cudaStatus(bundle: string): Promise<string | undefined> {
  const level = ort.env.logLevel;
  ort.env.logLevel = 'fatal';
  try {
    const predictor = await Predictor.open(bundle, { executionProviders: ['cuda'] });
    await predictor.close();
    return undefined;
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    return `not installed (${message.slice(message.lastIndexOf(': ') + 2).slice(0, 120)})`;
  } finally {
    ort.env.logLevel = level;
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'al-bench-describe-'));
  try {
    const input = await inputs(work);
    const models: { name: string; bundle: string; note: string }[] = [{ name: 'tiny (embedded default)', bundle: defaultBundleDir(), note: '' }];
    for (const size of sizes) {
      const { dir, built, seconds } = await randomBundle(size);
      models.push({ name: `${size} (random weights)`, bundle: dir, note: built ? `built and exported in ${seconds.toFixed(0)} s` : 'cached' });
    }
    const cuda = await cudaStatus(models[0].bundle);
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const header = [
      `describe, warm, in-process: a 1024x1024 PNG with ${regionCount} region masks -> top-5 of ${DESCRIPTIONS.length} descriptions; ms per region, median of ${rounds} (best)`,
      `CPU: ${cpu}, ${availableParallelism()} core(s), onnxruntime ${threads} thread(s), graph optimisation "all"; CUDA provider: ${cuda ?? 'installed'}`,
    ];
    process.stdout.write(`${header.join('\n')}\n`);
    const width = Math.max(...models.map((m) => m.name.length));
    let tinyCpu = 0;
    for (const model of models) {
      const t = await timeDescribe(model.bundle, 'cpu', input);
      if (tinyCpu === 0) tinyCpu = t.msPerRegion;
      const ratio = model === models[0] ? '' : `  ${(t.msPerRegion / tinyCpu).toFixed(0)}x the tiny model`;
      let line = `  ${model.name.padEnd(width)}  ${String(t.imageSize).padStart(3)} px  CPU ${t.msPerRegion.toFixed(1).padStart(8)} ms/region (${t.minMsPerRegion.toFixed(1)})${ratio}`;
      if (!cuda) {
        const g = await timeDescribe(model.bundle, 'cuda', input);
        line += `  CUDA ${g.msPerRegion.toFixed(1).padStart(7)} ms/region (${g.minMsPerRegion.toFixed(1)})`;
      }
      if (model.note) line += `  [${model.note}]`;
      process.stdout.write(`${line}\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:describe failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
