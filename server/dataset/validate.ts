// Full check of a dataset on disk: manifest shape and version, every jsonl line, path
// confinement (symbolic links followed), files present, region PNGs (8-bit, 0/255, image-sized) agreeing with their
// recorded area and box, and descriptions present in dataset.json.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { errorMessage, type Problem } from '../util/errors';
import { resolveInsideReal } from '../util/paths';
import type { DatasetManifest, ImageRecord, RegionRecord } from './format';
import { DATASET_FORMAT_VERSION } from './formatVersion';
import { MANIFEST_FILE, SPLITS, emptySplits, parseJsonl, splitFile, type JsonlLine, type SplitRecords } from './manifest';
import { checkImageRecord, checkManifest } from './schema';
import type { Split } from './types';
import { mapLimit } from './concurrency';
import { withReaderLease } from './readerLease';
import { readSteady } from './steadyRead';
import { specialFileKind } from '../image/regularFile';
import { checkPixelLimit } from '../image/pixelLimit';
import { faultPoint } from '../util/faultPoint';
import { pushAll } from '../util/arrays';

export interface DatasetProblem extends Problem {
  /** 1-based line of a jsonl file. */
  line?: number;
}

export interface ValidationResult {
  valid: boolean;
  problems: DatasetProblem[];
  counts: Record<Split, { images: number; regions: number }>;
}

export interface ValidateOptions {
  /** Called once with the number of records to check, then once per checked record (for progress). */
  onTotal?: (records: number) => void;
  onRecord?: () => void;
  /** How many records are checked at once. */
  concurrency?: number;
  /**
   * False: the cheap checks only (manifest, every line, confinement, files present, counts,
   * descriptions), without decoding images and masks; what `stats` and `eval` require.
   */
  decode?: boolean;
}

export function formatProblem(p: DatasetProblem): string {
  return `${p.severity}: ${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`;
}

/** Pixel facts of a region PNG, for comparison with its record. */
export interface RegionPngFacts {
  width: number;
  height: number;
  area: number;
  bbox: [number, number, number, number] | undefined;
  /** Values that are neither 0 nor 255. */
  otherValues: number[];
}

export function regionFacts(data: Uint8Array, width: number, height: number): RegionPngFacts {
  let area = 0;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  const other = new Set<number>();
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const v = data[i];
      if (v === 0) continue;
      if (v !== 255) {
        other.add(v);
        continue;
      }
      area++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return {
    width,
    height,
    area,
    bbox: area > 0 ? [x0, y0, x1 - x0 + 1, y1 - y0 + 1] : undefined,
    otherValues: [...other].sort((a, b) => a - b),
  };
}

async function checkRegionPng(file: string, record: ImageRecord, region: RegionRecord, index: number): Promise<string[]> {
  const where = `regions[${index}] ${region.mask}`;
  let meta: Metadata;
  try {
    meta = await sharp(file).metadata();
  } catch (err) {
    return [`${where}: cannot read PNG: ${errorMessage(err)}`];
  }
  const errors: string[] = [];
  if (meta.format !== 'png') errors.push(`${where}: is ${meta.format}, expected PNG`);
  if (meta.channels !== 1 || meta.isPalette || meta.bitsPerSample !== 8) {
    errors.push(`${where}: expected an 8-bit greyscale PNG, got ${meta.channels} channel(s), ${meta.bitsPerSample}-bit${meta.isPalette ? ' palette' : ''}`);
  }
  if (meta.width !== record.width || meta.height !== record.height) {
    errors.push(`${where}: is ${meta.width}x${meta.height} but the image is ${record.width}x${record.height}`);
    return errors;
  }
  try {
    checkPixelLimit(file, meta.width ?? 0, meta.height ?? 0);
  } catch (err) {
    return [`${where}: ${errorMessage(err)}`];
  }
  if (errors.length > 0) return errors;
  faultPoint('validate:decode');
  let decoded: { data: Buffer; info: { channels: number; width: number; height: number } };
  try {
    decoded = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    return [`${where}: cannot read PNG: ${errorMessage(err)}`];
  }
  const { data, info } = decoded;
  if (info.channels !== 1) return [`${where}: decodes to ${info.channels} channels, expected 1`];
  const facts = regionFacts(data, info.width, info.height);
  if (facts.otherValues.length > 0) errors.push(`${where}: holds values other than 0/255: ${facts.otherValues.slice(0, 8).join(', ')}`);
  if (facts.area !== region.area) errors.push(`${where}: area is ${facts.area} pixels, the record says ${region.area}`);
  if (JSON.stringify(facts.bbox) !== JSON.stringify(region.bbox)) {
    errors.push(`${where}: bounding box is ${JSON.stringify(facts.bbox ?? null)}, the record says ${JSON.stringify(region.bbox)}`);
  }
  return errors;
}

/** Why `file` cannot be read as a dataset file (missing, or a pipe, a device, a folder…), or undefined. */
async function notAFile(file: string): Promise<string | undefined> {
  try {
    const kind = specialFileKind(await fs.stat(file));
    return kind ? `is ${kind}, not a regular file` : undefined;
  } catch {
    return 'does not exist';
  }
}

interface LineContext {
  dir: string;
  file: string;
  descriptions: Map<string, string> | undefined;
  seenImages: Map<string, string>;
  seenMasks: Map<string, string>;
  decode: boolean;
}

/** Every problem of one record (one jsonl line), as messages.  Paths are confined and registered before anything is awaited, so "first at" is deterministic. */
async function checkRecord(record: ImageRecord, where: string, ctx: LineContext): Promise<string[]> {
  const errors: string[] = [];
  const confined = (path: string): string | undefined => {
    try {
      return resolveInsideReal(ctx.dir, path);
    } catch (err) {
      errors.push(errorMessage(err));
      return undefined;
    }
  };
  const firstUse = (seen: Map<string, string>, path: string, what: string): void => {
    const first = seen.get(path);
    if (first) errors.push(`${what} ${path} is listed again (first at ${first})`);
    else seen.set(path, where);
  };

  const image = confined(record.image);
  if (image) firstUse(ctx.seenImages, record.image, 'image');
  if (record.regions.length === 0) errors.push('record has no regions');
  const masks = record.regions.map((region, i) => {
    if (ctx.descriptions) {
      const text = ctx.descriptions.get(`${record.object}\0${region.defect}`);
      if (text === undefined) errors.push(`regions[${i}]: no description of ${record.object}/${region.defect} in ${MANIFEST_FILE}`);
      else if (text !== region.description) errors.push(`regions[${i}]: description "${region.description}" differs from ${MANIFEST_FILE}'s "${text}"`);
    }
    const mask = confined(region.mask);
    if (mask) firstUse(ctx.seenMasks, region.mask, `regions[${i}]: mask`);
    return mask;
  });

  if (image) {
    const why = await notAFile(image);
    if (why) errors.push(`image ${record.image} ${why}`);
    else if (ctx.decode) {
      try {
        const meta = await sharp(image).metadata();
        if (meta.width !== record.width || meta.height !== record.height) {
          errors.push(`image ${record.image} is ${meta.width}x${meta.height}, the record says ${record.width}x${record.height}`);
        }
      } catch (err) {
        errors.push(`image ${record.image} cannot be read: ${errorMessage(err)}`);
      }
    }
  }
  const regionErrors = await Promise.all(
    record.regions.map(async (region, i) => {
      const mask = masks[i];
      if (!mask) return [];
      const why = await notAFile(mask);
      if (why) return [`regions[${i}]: mask ${region.mask} ${why}`];
      return ctx.decode ? checkRegionPng(mask, record, region, i) : [];
    }),
  );
  return [...errors, ...regionErrors.flat()];
}

async function readManifestForValidation(dir: string, problems: DatasetProblem[]): Promise<DatasetManifest | undefined> {
  const file = join(dir, MANIFEST_FILE);
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    problems.push({ file, message: `cannot read: ${errorMessage(err)}`, severity: 'error' });
    return undefined;
  }
  const errors = checkManifest(value);
  for (const message of errors) problems.push({ file, message, severity: 'error' });
  const v = value as Partial<DatasetManifest>;
  if (v && v.formatVersion !== DATASET_FORMAT_VERSION) return undefined;
  return errors.length === 0 ? (value as DatasetManifest) : undefined;
}

export async function validateDataset(dir: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  return (await checkDataset(dir, options)).result;
}

export interface DatasetCheck {
  result: ValidationResult;
  manifest?: DatasetManifest;
  records: SplitRecords;
}

/**
 * The check, and the manifest and records it read (every record that passed the record schema,
 * in file order): what a reader that requires a valid dataset uses without reading it again.
 * It checks one version of the dataset, the old or the new, whatever a rebuild does meanwhile
 * (steadyRead.ts), and holds a reader's lease so that a rebuild keeps the files it reads.
 */
export async function checkDataset(dir: string, options: ValidateOptions = {}): Promise<DatasetCheck> {
  return withReaderLease(dir, 'anomaly-lens validate', () => readSteady(dir, () => checkOnce(dir, options)));
}

async function checkOnce(dir: string, options: ValidateOptions): Promise<DatasetCheck> {
  const problems: DatasetProblem[] = [];
  const manifestFile = join(dir, MANIFEST_FILE);
  const manifest = await readManifestForValidation(dir, problems);
  const descriptions = manifest ? new Map(manifest.descriptions.map((d) => [`${d.object}\0${d.defect}`, d.text])) : undefined;
  const counts = { train: { images: 0, regions: 0 }, val: { images: 0, regions: 0 }, test: { images: 0, regions: 0 } };
  const seenImages = new Map<string, string>();
  const seenMasks = new Map<string, string>();

  const splits: { split: Split; file: string; lines: JsonlLine[] }[] = [];
  for (const split of SPLITS) {
    const file = join(dir, splitFile(split));
    try {
      splits.push({ split, file, lines: parseJsonl(await fs.readFile(file, 'utf8')) });
    } catch (err) {
      problems.push({ file, message: `cannot read: ${errorMessage(err)}`, severity: 'error' });
    }
  }
  options.onTotal?.(splits.reduce((n, s) => n + s.lines.length, 0));
  faultPoint('validate:read');

  const records = emptySplits<ImageRecord[]>(() => []);
  for (const { split, file, lines } of splits) {
    const kept: (ImageRecord | undefined)[] = new Array(lines.length);
    const ctx: LineContext = { dir, file, descriptions, seenImages, seenMasks, decode: options.decode ?? true };
    const found = await mapLimit(lines, options.concurrency ?? 8, async ({ line, value, error }, i): Promise<DatasetProblem[]> => {
      const shape = error ? [error] : checkImageRecord(value);
      const errors = shape.length > 0 ? shape : await checkRecord(value as ImageRecord, `${splitFile(split)}:${line}`, ctx).catch((err: unknown) => [`cannot be checked: ${errorMessage(err)}`]);
      if (shape.length === 0) {
        kept[i] = value as ImageRecord;
        counts[split].images++;
        counts[split].regions += (value as ImageRecord).regions.length;
      }
      options.onRecord?.();
      return errors.map((message) => ({ file, line, message, severity: 'error' }));
    });
    pushAll(problems, found.flat());
    records[split] = kept.filter((r): r is ImageRecord => r !== undefined);
  }

  if (manifest) {
    for (const split of SPLITS) {
      const said = manifest.counts[split];
      const got = counts[split];
      if (said.images !== got.images || said.regions !== got.regions) {
        problems.push({
          file: manifestFile,
          message: `counts.${split} says ${said.images} images / ${said.regions} regions, ${splitFile(split)} holds ${got.images} / ${got.regions}`,
          severity: 'error',
        });
      }
    }
  }
  return { result: { valid: !problems.some((p) => p.severity === 'error'), problems, counts }, ...(manifest ? { manifest } : {}), records };
}
