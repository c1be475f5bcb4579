// What a hover over a split-file record shows, worked out in the child server: a thumbnail of the
// image with its regions outlined and numbered, and each region's predicted description.  Both
// are kept per (bundle, image, mask) while the files keep their size and time stamp, so a hover
// seen before answers at once.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { distinctTexts, readDescriptionEntries } from '../dataset/descriptionEntries';
import { withReaderLease } from '../dataset/readerLease';
import { readSteady } from '../dataset/steadyRead';
import { BUNDLE_MANIFEST, readManifest } from '../model/bundle';
import { DEFAULT_UNCERTAIN_BELOW, uncertainBelowOf } from '../model/confidence';
import { describeImage } from '../model/describeImage';
import type { Predictor } from '../model';
import { UserError, errorMessage } from '../util/errors';
import { faultPoint } from '../util/faultPoint';
import { resolveInsideReal } from '../util/paths';
import { DEFAULT_THUMBNAIL_SIZE, type Thumbnail, type ThumbnailRegion, renderThumbnail, thumbnailDataUrl } from './thumbnail';
import type { RecordPredictions, RecordThumbnail, RegionPrediction } from './types';

export type { RecordPredictions, RecordThumbnail, RegionPrediction };

export interface RecordFiles {
  /** The split file; its folder is the dataset root. */
  file: string;
  /** The record's image and its regions' masks, as written in the record. */
  image: string;
  masks: readonly string[];
}

/** A least-recently-used map of bounded size. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value as string);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

/** Size and time stamp of a file, or undefined when it cannot be seen. */
async function stamp(file: string): Promise<string | undefined> {
  try {
    const s = await fs.stat(file);
    return s.isFile() ? `${s.size}:${s.mtimeMs}` : undefined;
  } catch {
    return undefined;
  }
}

function inside(root: string, path: string): string | undefined {
  try {
    return resolveInsideReal(root, path);
  } catch {
    return undefined;
  }
}

interface ResolvedRecord {
  image: string;
  imageStamp: string;
  masks: (string | null)[];
  maskStamps: (string | undefined)[];
}

async function resolveRecord(files: RecordFiles): Promise<ResolvedRecord> {
  const root = dirname(files.file);
  const image = resolveInsideReal(root, files.image, files.file);
  const imageStamp = await stamp(image);
  if (imageStamp === undefined) throw new UserError(`image file ${files.image} does not exist`, files.file);
  const masks = files.masks.map((m) => inside(root, m) ?? null);
  const maskStamps = await Promise.all(masks.map((m) => (m ? stamp(m) : undefined)));
  faultPoint('record:read');
  return { image, imageStamp, masks: masks.map((m, i) => (maskStamps[i] ? m : null)), maskStamps };
}

/**
 * `read` of a record's files as one version of its dataset (steadyRead.ts), under a reader's
 * lease (readerLease.ts): a rebuild meanwhile keeps the files the record names, and a read
 * during which the dataset switched is done again, so a record is never shown with masks
 * missing that a rebuild removed while it was read.
 */
function readingDataset<T>(files: RecordFiles, command: string, read: () => Promise<T>): Promise<T> {
  const root = dirname(files.file);
  return withReaderLease(root, command, () => readSteady(root, read));
}

/** dataset.json's descriptions (each once, in order), the candidates a record's regions are ranked against. */
async function datasetCandidates(root: string): Promise<string[] | undefined> {
  const texts = distinctTexts((await readDescriptionEntries(root)) ?? []);
  return texts.length > 0 ? texts : undefined;
}

/**
 * VS Code's Markdown hovers show an image only while the whole text stays short (an image of
 * about 100,000 characters of base64 is shown as text): a picture too long is drawn smaller.
 */
const MAX_DATA_URL = 80_000;

async function fittingThumbnail(image: string, regions: ThumbnailRegion[], maxSize: number, focus: number | undefined): Promise<Thumbnail> {
  for (let size = maxSize; ; size = Math.floor(size * 0.75)) {
    const t = await renderThumbnail(image, regions, { maxSize: size, ...(focus !== undefined ? { focus } : {}) });
    if (thumbnailDataUrl(t).length <= MAX_DATA_URL || size < 64) return t;
  }
}

/** The bundle's uncertainty threshold; the default when its bundle.json cannot be read (the prediction says why). */
function bundleThreshold(bundleDir: string): number {
  try {
    return uncertainBelowOf(readManifest(bundleDir).manifest);
  } catch {
    return DEFAULT_UNCERTAIN_BELOW;
  }
}

export class RecordHover {
  private readonly thumbnails = new Lru<Promise<RecordThumbnail>>(256);
  private readonly predictions = new Lru<RegionPrediction>(4096);

  constructor(private readonly predictor: (bundle: string) => Promise<Predictor>) {}

  /** The thumbnail of the record, or of region `focus` alone, enlarged. */
  thumbnail(files: RecordFiles, options: { focus?: number; maxSize?: number } = {}): Promise<RecordThumbnail> {
    return readingDataset(files, 'anomaly-lens record preview', () => this.thumbnailOnce(files, options));
  }

  private async thumbnailOnce(files: RecordFiles, options: { focus?: number; maxSize?: number }): Promise<RecordThumbnail> {
    const r = await resolveRecord(files);
    const key = JSON.stringify([r.image, r.imageStamp, r.masks, r.maskStamps, options.focus ?? null, options.maxSize ?? null]);
    let cached = this.thumbnails.get(key);
    if (!cached) {
      const regions = r.masks.flatMap((mask, i) => (mask ? [{ mask, id: i + 1 }] : []));
      const focus = options.focus === undefined ? undefined : options.focus + 1;
      cached = fittingThumbnail(r.image, regions, options.maxSize ?? DEFAULT_THUMBNAIL_SIZE, focus).then((t) => ({
        thumbnail: thumbnailDataUrl(t),
        width: t.width,
        height: t.height,
        image: r.image,
        masks: r.masks,
      }));
      this.thumbnails.set(key, cached);
      cached.catch(() => this.thumbnails.delete(key));
    }
    return cached;
  }

  /**
   * Each region's top descriptions with `bundle`, ranked against dataset.json's descriptions
   * (else the bundle's own); `only` limits the work to one region.
   */
  predict(files: RecordFiles, bundleDir: string, options: { topK?: number; only?: number; signal?: AbortSignal } = {}): Promise<RecordPredictions> {
    return readingDataset(files, 'anomaly-lens record prediction', () => this.predictOnce(files, bundleDir, options));
  }

  private async predictOnce(files: RecordFiles, bundleDir: string, options: { topK?: number; only?: number; signal?: AbortSignal }): Promise<RecordPredictions> {
    const r = await resolveRecord(files);
    const topK = options.topK ?? 3;
    const candidates = await datasetCandidates(dirname(files.file));
    const bundleStamp = await stamp(join(bundleDir, BUNDLE_MANIFEST));
    const candidateDigest = createHash('sha256').update(JSON.stringify(candidates ?? null)).digest('hex');
    const keyOf = (i: number) => JSON.stringify([bundleDir, bundleStamp, candidateDigest, topK, r.image, r.imageStamp, r.masks[i], r.maskStamps[i]]);
    const wanted = r.masks.map((_, i) => i).filter((i) => options.only === undefined || i === options.only);
    const regions: (RegionPrediction | null)[] = r.masks.map(() => null);
    const todo: number[] = [];
    for (const i of wanted) {
      if (!r.masks[i]) regions[i] = { error: `mask file ${files.masks[i]} does not exist` };
      else {
        const hit = this.predictions.get(keyOf(i));
        if (hit) regions[i] = hit;
        else todo.push(i);
      }
    }
    if (todo.length > 0) {
      if (options.signal?.aborted) throw new UserError('the prediction was cancelled');
      const predictor = await this.predictor(bundleDir);
      const describe = (indices: number[]) =>
        describeImage(predictor, { image: r.image, masks: indices.map((i) => r.masks[i] as string), ...(candidates ? { candidates } : {}), topK });
      const keep = (i: number, ranking: { text: string; probability: number }[]) => {
        const prediction = { ranking: ranking.map((x) => ({ text: x.text, probability: x.probability })) };
        regions[i] = prediction;
        this.predictions.set(keyOf(i), prediction);
      };
      try {
        (await describe(todo)).regions.forEach((d, k) => keep(todo[k], d.ranking));
      } catch {
        // One unreadable mask fails the whole call: each region alone, so only that one says why.
        for (const i of todo) {
          try {
            keep(i, (await describe([i])).regions[0].ranking);
          } catch (err) {
            regions[i] = { error: errorMessage(err) };
          }
        }
      }
    }
    return { bundle: bundleDir, uncertainBelow: bundleThreshold(bundleDir), regions };
  }
}
