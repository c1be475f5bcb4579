// Fitting a detector on a source dataset's normal images: per object, a memory bank of patch
// features (coreset-subsampled) from most of them, and a threshold calibrated on the rest.
// The detector folder is written whole into a temporary folder and renamed into place.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readSource } from '../dataset/readers';
import type { SourceSample } from '../dataset/types';
import { readImageBytes } from '../image/source';
import { UserError, errorMessage } from '../util/errors';
import type { Problem } from '../util/problem';
import { TOOL_VERSION } from '../util/version';
import { anomalyMap, type MemoryBank } from './anomalyMap';
import { bundleDigest } from './bundleDigest';
import { kCenterGreedy, pickRows, randomProjection } from './coreset';
import { DETECTOR_DEFAULTS } from './defaults';
import { DETECTOR_FORMAT, DETECTOR_FORMAT_VERSION, DETECTOR_MANIFEST, type DetectorManifest, type DetectorObject, type DetectorSettings, type NormalImage } from './detectorFormat';
import { extractPatches, type FloatImage } from './features';
import { rowNorms } from './nearest';
import { readFloatImage } from './readImage';
import { mapMax } from './scoreMap';
import { fractionAbove, thresholdAtFpr } from './threshold';
import { checkOwnedOutput } from './outputFolder';

export interface FitRequest {
  source: string;
  out: string;
  bundle: string;
  settings?: Partial<DetectorSettings>;
}

export interface FitResult {
  out: string;
  manifest: DetectorManifest;
  problems: Problem[];
  seconds: number;
}

export interface FitProgress {
  onObject?(object: string, index: number, total: number): void;
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const slash = (path: string): string => path.split(sep).join('/');

/**
 * The normal images of each object: the source's training normals (MVTec's train/good, a
 * split's train or val good images) when it has them, else every good image.
 */
export function normalImagesByObject(samples: readonly SourceSample[]): Map<string, string[]> {
  const objects = new Map<string, SourceSample[]>();
  for (const s of samples) objects.set(s.object, [...(objects.get(s.object) ?? []), s]);
  const out = new Map<string, string[]>();
  for (const [object, list] of objects) {
    const good = list.filter((s) => s.defect === 'good' && !s.mask && !s.drawn);
    const training = good.filter((s) => s.split === 'train-good' || s.split === 'train' || s.split === 'val');
    out.set(object, (training.length > 0 ? training : good).map((s) => s.image).sort());
  }
  return out;
}

interface ReadNormal {
  path: string;
  sha256: string;
  image: FloatImage;
}

async function readNormals(files: readonly string[], problems: Problem[]): Promise<ReadNormal[]> {
  const out: ReadNormal[] = [];
  for (const file of files) {
    try {
      const bytes = await readImageBytes(file);
      const image = await readFloatImage(file);
      const first = out[0]?.image;
      if (first && (image.width !== first.width || image.height !== first.height || image.channels !== first.channels)) {
        problems.push({ severity: 'error', file, message: `is ${image.width}x${image.height} with ${image.channels} channel(s), but the object's first normal image ${out[0].path} is ${first.width}x${first.height} with ${first.channels}; left out` });
        continue;
      }
      out.push({ path: file, sha256: sha256(bytes), image });
    } catch (err) {
      problems.push({ severity: 'error', file, message: err instanceof UserError ? err.message.replace(`${file}: `, '') : errorMessage(err) });
    }
  }
  return out;
}

/** The bank of one feature level from the bank images: every patch, then the coreset. */
function fitBank(images: readonly FloatImage[], levelIndex: number, settings: DetectorSettings): { bank: MemoryBank; patches: number } {
  const level = settings.features.levels[levelIndex];
  const grids = images.map((image) => extractPatches(image, level, settings.features.normalise));
  const dim = grids[0].dim;
  const count = grids.reduce((sum, g) => sum + g.count, 0);
  const all = new Float32Array(count * dim);
  let offset = 0;
  for (const g of grids) {
    all.set(g.features, offset);
    offset += g.features.length;
  }
  const { ratio, projectionDims, seed } = settings.coreset;
  const k = Math.max(1, Math.round(ratio * count));
  const projected = randomProjection(all, count, dim, projectionDims, seed);
  const chosen = kCenterGreedy(projected, count, Math.min(projectionDims, dim), k, seed);
  const rows = pickRows(all, dim, chosen);
  return { bank: { rows, count: chosen.length, dim, norms: rowNorms(rows, chosen.length, dim) }, patches: count };
}

/** Float32 little-endian bytes of `rows`. */
export function float32Bytes(rows: Float32Array): Buffer {
  const out = Buffer.alloc(rows.length * 4);
  for (let i = 0; i < rows.length; i++) out.writeFloatLE(rows[i], i * 4);
  return out;
}

/** A file name for an object's bank: its name kept readable, anything odd replaced. */
function bankName(object: string, index: number, level: number): string {
  const safe = object.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  return `banks/${String(index).padStart(3, '0')}-${safe}-level${level + 1}.f32`;
}

async function fitObject(
  name: string,
  index: number,
  files: readonly string[],
  root: string,
  settings: DetectorSettings,
  folder: string,
  problems: Problem[],
): Promise<DetectorObject | undefined> {
  const started = Date.now();
  const objectFolder = files.length > 0 ? dirname(files[0]) : root;
  if (files.length === 0) {
    problems.push({ severity: 'error', file: objectFolder, message: `object "${name}" has no normal images (good images) to fit on; it is left out of the detector` });
    return undefined;
  }
  const normals = await readNormals(files, problems);
  if (normals.length < 2) {
    problems.push({ severity: 'error', file: objectFolder, message: `object "${name}" has ${normals.length} readable normal image(s); the detector needs at least 2 (one for the memory bank, one to calibrate its threshold); it is left out` });
    return undefined;
  }
  const every = Math.max(2, settings.holdOutEvery);
  // Every n-th image calibrates; with fewer than n images, the last one does.
  const calibrates = (i: number) => (normals.length < every ? i === normals.length - 1 : i % every === every - 1);
  const held = normals.filter((_, i) => calibrates(i));
  const bankImages = normals.filter((_, i) => !calibrates(i));
  const fitted = settings.features.levels.map((_, level) => fitBank(bankImages.map((n) => n.image), level, settings));
  const banks = fitted.map((f) => f.bank);
  const maps = held.map((n) => anomalyMap(n.image, settings.features, banks, settings.smoothingSigma, settings.score));
  const pixels = new Float32Array(maps.reduce((sum, m) => sum + m.length, 0));
  let offset = 0;
  for (const m of maps) {
    pixels.set(m, offset);
    offset += m.length;
  }
  const threshold = thresholdAtFpr(pixels, settings.fpr);
  const bankFiles = [];
  for (const [level, { bank, patches }] of fitted.entries()) {
    const file = bankName(name, index, level);
    await fs.mkdir(dirname(join(folder, file)), { recursive: true });
    await fs.writeFile(join(folder, file), float32Bytes(bank.rows));
    bankFiles.push({ file, rows: bank.count, dim: bank.dim, patches });
  }
  const heldSet = new Set(held);
  const { width, height, channels } = normals[0].image;
  return {
    name,
    width,
    height,
    channels,
    normals: normals.map((n): NormalImage => ({ path: slash(relative(root, n.path)), sha256: n.sha256, use: heldSet.has(n) ? 'calibration' : 'bank' })),
    banks: bankFiles,
    threshold,
    calibration: { images: held.length, pixels: pixels.length, fpr: settings.fpr, measuredFpr: fractionAbove(pixels, threshold), maxNormalScore: Math.max(...maps.map(mapMax)) },
    fitSeconds: (Date.now() - started) / 1000,
  };
}

/** Fits a detector on `source`'s normal images and writes it to `out` (replacing a detector there). */
export async function fitDetector(request: FitRequest, progress: FitProgress = {}): Promise<FitResult> {
  const started = Date.now();
  const settings: DetectorSettings = { ...DETECTOR_DEFAULTS, ...request.settings };
  const digest = bundleDigest(request.bundle);
  const source = await readSource(request.source);
  const problems: Problem[] = source.problems.filter((p) => p.severity === 'error');
  const byObject = normalImagesByObject(source.samples);
  if (byObject.size === 0) throw new UserError('holds no images to fit a detector on', source.root);
  const out = resolve(request.out);
  await checkOut(out);
  const temp = join(dirname(out), `.${basename(out)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await fs.mkdir(temp, { recursive: true });
  try {
    const objects: DetectorObject[] = [];
    const names = [...byObject.keys()].sort();
    for (const [i, name] of names.entries()) {
      progress.onObject?.(name, i, names.length);
      const fitted = await fitObject(name, i, byObject.get(name) ?? [], source.root, settings, temp, problems);
      if (fitted) objects.push(fitted);
    }
    if (objects.length === 0) throw new UserError(`no object could be fitted: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`, source.root);
    const manifest: DetectorManifest = {
      format: DETECTOR_FORMAT,
      formatVersion: DETECTOR_FORMAT_VERSION,
      tool: TOOL_VERSION,
      created: new Date().toISOString(),
      bundle: { digest, dir: resolve(request.bundle) },
      source: source.root,
      settings,
      objects,
    };
    await fs.writeFile(join(temp, DETECTOR_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await replaceFolder(temp, out);
    return { out, manifest, problems, seconds: (Date.now() - started) / 1000 };
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true });
    throw err;
  }
}

/** The output must be new, empty, or an earlier detector (which is replaced whole). */
function checkOut(out: string): Promise<void> {
  return checkOwnedOutput(out, DETECTOR_MANIFEST, { forWhat: 'the detector', earlier: 'a detector' });
}

/** Renames `temp` to `out`; an earlier `out` is moved aside first and removed once the new one is in place. */
async function replaceFolder(temp: string, out: string): Promise<void> {
  const old = `${temp}.old`;
  let moved = false;
  try {
    await fs.rename(out, old);
    moved = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    await fs.rename(temp, out);
  } catch (err) {
    if (moved) await fs.rename(old, out);
    throw err;
  }
  if (moved) await fs.rm(old, { recursive: true, force: true });
}
