// Fixtures whose model answers can be worked out by hand: colour bundles (made by
// fixtures/make_colour_bundle.py: each description has a colour and the image encoder answers
// the description whose colour is nearest to the region's mean colour, or, for the
// mask-blind baseline, to the colour of the top-left pixel) and small datasets of flat-colour
// rectangles on a grey background.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { DatasetManifest, ImageRecord } from '../../../server/dataset/format';
import { ClipTokenizer, learnMerges, writeMergesFile, writeTokenFile } from '../../../server/model/tokenizer';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const CLI_MAIN = join(REPO_ROOT, 'server', 'cli', 'main.ts');

export type Rgb = [number, number, number];

/** The bundle's descriptions and their colours. "cut in cable" is in no dataset below. */
export const PALETTE: { text: string; colour: Rgb; object: string; defect: string }[] = [
  { text: 'crack in widget', colour: [255, 0, 0], object: 'widget', defect: 'crack' },
  { text: 'hole in widget', colour: [0, 255, 0], object: 'widget', defect: 'hole' },
  { text: 'stain on widget', colour: [0, 0, 255], object: 'widget', defect: 'stain' },
  { text: 'dent in gadget', colour: [255, 255, 0], object: 'gadget', defect: 'dent' },
  { text: 'scratch on gadget', colour: [255, 0, 255], object: 'gadget', defect: 'scratch' },
  { text: 'cut in cable', colour: [0, 255, 255], object: 'cable', defect: 'cut' },
];

export const RED: Rgb = [255, 0, 0];
export const GREEN: Rgb = [0, 255, 0];
export const BLUE: Rgb = [0, 0, 255];
export const YELLOW: Rgb = [255, 255, 0];
export const MAGENTA: Rgb = [255, 0, 255];
export const CYAN: Rgb = [0, 255, 255];
export const GREY: Rgb = [128, 128, 128];

export type ColourMode = 'masked-mean' | 'corner';

/** A colour bundle in `dir` (image size 16, so 32 px images resample 2x2 blocks exactly). */
export async function makeColourBundle(dir: string, mode: ColourMode = 'masked-mean'): Promise<string> {
  const texts = PALETTE.map((p) => p.text);
  const merges = learnMerges(texts, 40);
  await writeMergesFile(join(dir, 'tokenizer', 'merges.txt.gz'), merges);
  const tokens = join(dir, 'tokens.json');
  await writeTokenFile(texts, new ClipTokenizer(merges), tokens);
  const colours = join(dir, 'colours.json');
  writeFileSync(colours, JSON.stringify(PALETTE.map((p) => p.colour)));
  const script = join(__dirname, 'fixtures', 'make_colour_bundle.py');
  const run = spawnSync('/usr/bin/python3', [script, dir, '--tokens', tokens, '--colours', colours, '--mode', mode], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`make_colour_bundle.py failed (${run.status}): ${run.stderr}`);
  return dir;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
  colour: Rgb;
}

/** A width x height RGB PNG: grey background with flat-colour rectangles. */
export async function writeImage(file: string, rects: readonly Rect[], width = 32, height = 32, background: Rgb = GREY): Promise<void> {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(background, i * 3);
  for (const r of rects) for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++) data.set(r.colour, (y * width + x) * 3);
  mkdirSync(dirname(file), { recursive: true });
  await sharp(data, { raw: { width, height, channels: 3 } }).png().toFile(file);
}

/** An 8-bit 0/255 mask PNG of the given rectangles. */
export async function writeMask(file: string, rects: readonly Pick<Rect, 'x' | 'y' | 'w' | 'h'>[], width = 32, height = 32): Promise<void> {
  const data = Buffer.alloc(width * height);
  for (const r of rects) for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++) data[y * width + x] = 255;
  mkdirSync(dirname(file), { recursive: true });
  await sharp(data, { raw: { width, height, channels: 1 } }).png().toFile(file);
}

export interface RegionSpec extends Rect {
  /** Ground-truth description (need not match the painted colour). */
  truth: string;
  defect: string;
}

export interface ImageSpec {
  name: string;
  object: string;
  regions: RegionSpec[];
}

/** Writes a dataset (dataset.json, test.jsonl, empty train/val) of 32x32 images. */
export async function writeColourDataset(root: string, images: readonly ImageSpec[]): Promise<ImageRecord[]> {
  const records: ImageRecord[] = [];
  for (const spec of images) {
    const image = `images/${spec.name}.png`;
    await writeImage(join(root, image), spec.regions);
    const regions = [];
    for (const [i, r] of spec.regions.entries()) {
      const mask = `masks/${spec.name}_${i}.png`;
      await writeMask(join(root, mask), [r]);
      regions.push({ mask, bbox: [r.x, r.y, r.w, r.h] as [number, number, number, number], area: r.w * r.h, defect: r.defect, description: r.truth });
    }
    const defects = new Set(spec.regions.map((r) => r.defect));
    records.push({ image, object: spec.object, defect: defects.size === 1 ? [...defects][0] : 'combined', width: 32, height: 32, regions });
  }
  // dataset.json lists every class of the dataset's objects, with test regions or not.
  const inDataset = PALETTE.filter((p) => images.some((i) => i.object === p.object));
  const manifest: DatasetManifest = {
    formatVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    tool: { name: 'anomaly-lens', version: '0.1.0' },
    sources: [{ kind: 'generic', root: '/nowhere/source', splits: ['test'] }],
    parameters: { mode: 'dbscan', eps: 1.5, minPts: 1, minArea: 0, threshold: 0, splitSeed: 0, valRatio: 0.29, describe: 'builtin' },
    objects: [...new Set(images.map((i) => i.object))],
    defects: inDataset.map((p) => ({ object: p.object, defect: p.defect })),
    descriptions: inDataset.map((p) => ({ object: p.object, defect: p.defect, text: p.text, provenance: { kind: 'builtin' } })),
    counts: { train: { images: 0, regions: 0 }, val: { images: 0, regions: 0 }, test: { images: records.length, regions: records.reduce((n, r) => n + r.regions.length, 0) } },
  };
  writeFileSync(join(root, 'dataset.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(root, 'test.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  writeFileSync(join(root, 'train.jsonl'), '');
  writeFileSync(join(root, 'val.jsonl'), '');
  return records;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command line from source (`node --import tsx server/cli/main.ts …`). */
export function runCli(args: readonly string[]): CliRun {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, CI: '1' }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
