// Detecting anomalies with a fitted detector: per image, the anomaly map, the binary mask at the
// object's threshold split into regions with the engine's DBSCAN, each region described by the
// model.  The output is a folder in the MVTec AD layout that `build` reads, plus detections.jsonl.
import { promises as fs } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { readSource } from '../dataset/readers';
import { fileKind, stemOf } from '../dataset/readers/fileKinds';
import { binaryPng } from '../image/greyPng';
import { readImageBytes } from '../image/source';
import { splitMask } from '../masks/split';
import { describeImage } from '../model/describeImage';
import type { Predictor } from '../model/predictor';
import { writeFileAtomic } from '../util/atomicWrite';
import { UserError } from '../util/errors';
import type { Problem } from '../util/problem';
import { anomalyMap } from './anomalyMap';
import type { LoadedDetector, LoadedObject } from './loadDetector';
import { mapPng16, overlayPng } from './mapImages';
import { readFloatImage } from './readImage';
import { mapMax } from './scoreMap';
import { checkOwnedOutput } from './outputFolder';

export const DETECTIONS_FILE = 'detections.jsonl';

export interface DetectRequest {
  input: string;
  out: string;
  /** The object of a plain folder's images (default: the detector's only object). */
  object?: string;
  topK?: number;
}

export interface DetectedRegion {
  area: number;
  /** [x, y, width, height]. */
  box: [number, number, number, number];
  /** The highest map value inside the region. */
  score: number;
  descriptions: { text: string; probability: number; cosine: number }[];
  uncertain?: boolean;
}

export interface Detection {
  image: string;
  object: string;
  /** The source's own label of the image (absent for a plain folder). */
  label?: string;
  /** Where the output put it, relative to the output folder. */
  output: { image: string; mask?: string; map: string; overlay: string };
  score: number;
  threshold: number;
  /** Map value = PNG value × scale. */
  mapScale: number;
  anomalous: boolean;
  regions: DetectedRegion[];
}

export interface DetectResult {
  out: string;
  detections: Detection[];
  problems: Problem[];
  seconds: number;
}

interface Item {
  image: string;
  object: string;
  label?: string;
}

async function isPlainFolder(dir: string): Promise<boolean> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries.some((e) => e.isFile() && fileKind(e.name) === 'image');
}

/** The images to detect in: a plain folder's images, or a source's test split (all its images when it has none). */
async function itemsOf(input: string, detector: LoadedDetector, object: string | undefined): Promise<{ items: Item[]; problems: Problem[] }> {
  let stat;
  try {
    stat = await fs.stat(input);
  } catch {
    throw new UserError('does not exist', input);
  }
  if (!stat.isDirectory()) throw new UserError('is not a folder of images or a dataset', input);
  if (await isPlainFolder(input)) {
    const names = [...detector.objects.keys()];
    const chosen = object ?? (names.length === 1 ? names[0] : undefined);
    if (!chosen) throw new UserError(`holds images of no named object and the detector holds ${names.length} objects (${names.join(', ')}); say which with --object`, input);
    if (!detector.objects.has(chosen)) throw new UserError(`the detector holds no object "${chosen}" (it holds ${names.join(', ')})`, detector.manifestFile);
    const files = (await fs.readdir(input, { withFileTypes: true })).filter((e) => e.isFile() && fileKind(e.name) === 'image').map((e) => join(input, e.name)).sort();
    return { items: files.map((image) => ({ image, object: chosen })), problems: [] };
  }
  const source = await readSource(input);
  const tests = source.samples.filter((s) => s.split === 'test');
  const chosen = (tests.length > 0 ? tests : source.samples).filter((s) => object === undefined || s.object === object);
  return { items: chosen.map((s) => ({ image: s.image, object: s.object, label: s.defect })), problems: source.problems.filter((p) => p.severity === 'error') };
}

/** The output must be new, empty, or an earlier detection output (its files are replaced one by one). */
function checkOut(out: string): Promise<void> {
  return checkOwnedOutput(out, DETECTIONS_FILE, { forWhat: 'the detections', earlier: 'an earlier detection output' });
}

/** A stem not yet used in the output folder `key`: the image's own, else with _2, _3, … */
function uniqueStem(used: Map<string, Set<string>>, key: string, stem: string): string {
  const taken = used.get(key) ?? new Set<string>();
  used.set(key, taken);
  let name = stem;
  for (let n = 2; taken.has(name); n++) name = `${stem}_${n}`;
  taken.add(name);
  return name;
}

async function pngBytes(file: string): Promise<Buffer> {
  const bytes = await readImageBytes(file);
  return extname(file).toLowerCase() === '.png' ? bytes : sharp(bytes).png().toBuffer();
}

async function detectOne(
  item: Item,
  model: LoadedObject,
  detector: LoadedDetector,
  predictor: Predictor,
  out: string,
  used: Map<string, Set<string>>,
  topK: number,
): Promise<{ detection: Detection; warnings: string[] }> {
  const { spec, banks } = model;
  const image = await readFloatImage(item.image);
  if (image.width !== spec.width || image.height !== spec.height || image.channels !== spec.channels) {
    throw new UserError(
      `is ${image.width}x${image.height} with ${image.channels} channel(s), but the detector's normal images of "${spec.name}" are ${spec.width}x${spec.height} with ${spec.channels}; it cannot be compared with them`,
      item.image,
    );
  }
  const { settings } = detector.manifest;
  const map = anomalyMap(image, settings.features, banks, settings.smoothingSigma, settings.score);
  const values = new Uint16Array(map.length);
  let above = 0;
  for (let i = 0; i < map.length; i++) if (map[i] > spec.threshold) (values[i] = 1), above++;
  const warnings: string[] = [];
  if (above === map.length) warnings.push(`${item.image}: every pixel is above the threshold of "${spec.name}": the image does not look like the object's normal images; its whole area is one region`);
  const regions = splitMask({ width: image.width, height: image.height, values }, { mode: 'dbscan', eps: settings.split.eps, minPts: settings.split.minPts, minArea: settings.minRegionArea ?? 0, perClass: false }).regions;
  const described =
    regions.length > 0 ? (await describeImage(predictor, { image: item.image, pixels: regions.map((r) => r.pixels), topK }, (m) => warnings.push(`${item.image}: ${m}`))).regions : [];
  const defect = regions.length === 0 ? 'good' : item.label && item.label !== 'good' ? item.label : 'unknown';
  const stem = uniqueStem(used, `${spec.name}/${defect}`, stemOf(basename(item.image)));
  const rel = {
    image: `${spec.name}/test/${defect}/${stem}.png`,
    ...(regions.length > 0 ? { mask: `${spec.name}/ground_truth/${defect}/${stem}_mask.png` } : {}),
    map: `${spec.name}/anomaly_maps/${defect}/${stem}.png`,
    overlay: `${spec.name}/anomaly_maps/${defect}/${stem}_overlay.png`,
  };
  await writeFileAtomic(join(out, rel.image), await pngBytes(item.image));
  if (rel.mask) {
    const kept = new Uint32Array(regions.reduce((sum, r) => sum + r.area, 0));
    let k = 0;
    for (const r of regions) {
      kept.set(r.pixels, k);
      k += r.area;
    }
    await writeFileAtomic(join(out, rel.mask), binaryPng(image.width, image.height, kept));
  }
  const { png, scale } = mapPng16(map, image.width, image.height);
  await writeFileAtomic(join(out, rel.map), png);
  await writeFileAtomic(join(out, rel.overlay), await overlayPng(image, map, spec.threshold));
  const detection: Detection = {
    image: item.image,
    object: spec.name,
    ...(item.label !== undefined ? { label: item.label } : {}),
    output: rel,
    score: mapMax(map),
    threshold: spec.threshold,
    mapScale: scale,
    anomalous: regions.length > 0,
    regions: regions.map((r, i) => {
      let peak = -Infinity;
      for (const p of r.pixels) if (map[p] > peak) peak = map[p];
      return {
        area: r.area,
        box: r.bbox,
        score: peak,
        descriptions: described[i].ranking.map((d) => ({ text: d.text, probability: d.probability, cosine: d.cosine })),
        ...(described[i].uncertain ? { uncertain: true } : {}),
      };
    }),
  };
  return { detection, warnings };
}

export interface DetectProgress {
  onStart?(total: number): void;
  onImage?(): void;
  onWarning?(message: string): void;
}

/** Detects anomalies in `request.input` and writes the output folder; a bad image is reported and the others go on. */
export async function detectAnomalies(detector: LoadedDetector, predictor: Predictor, request: DetectRequest, progress: DetectProgress = {}): Promise<DetectResult> {
  const started = Date.now();
  const input = resolve(request.input);
  const out = resolve(request.out);
  await checkOut(out);
  const { items, problems } = await itemsOf(input, detector, request.object);
  if (items.length === 0) throw new UserError('holds no image to detect anomalies in', input);
  for (const object of detector.objects.keys()) await fs.mkdir(join(out, object, 'ground_truth'), { recursive: true });
  const used = new Map<string, Set<string>>();
  const detections: Detection[] = [];
  progress.onStart?.(items.length);
  for (const item of items) {
    try {
      const model = detector.objects.get(item.object);
      if (!model) throw new UserError(`its object "${item.object}" is not one the detector was fitted on (${[...detector.objects.keys()].join(', ')})`, item.image);
      const { detection, warnings } = await detectOne(item, model, detector, predictor, out, used, request.topK ?? 5);
      detections.push(detection);
      for (const w of warnings) {
        problems.push({ severity: 'warning', file: item.image, message: w.replace(`${item.image}: `, '') });
        progress.onWarning?.(w);
      }
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      problems.push({ severity: 'error', file: item.image, message: err.message.replace(`${item.image}: `, '') });
      progress.onWarning?.(err.message);
    }
    progress.onImage?.();
  }
  await writeFileAtomic(join(out, DETECTIONS_FILE), detections.map((d) => `${JSON.stringify(d)}\n`).join(''));
  return { out, detections, problems, seconds: (Date.now() - started) / 1000 };
}
