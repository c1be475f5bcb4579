/**
 * VisA layout.
 *
 * - `<root>/split_csv/1cls.csv` with the columns object, split, label, image, mask (any
 *   order, header required); image and mask paths are relative to the root and must stay
 *   inside it (a path that escapes is reported naming the csv, and its row is skipped).
 * - label `normal` -> defect 'good', no mask; `anomaly` -> an anomalous sample whose mask
 *   is the mask column.  split `train` -> 'train-good' for normal rows, 'train' otherwise;
 *   `test` -> 'test'; `val` -> 'val'.  Other labels or splits are reported, row skipped.
 * - Defect name: VisA masks hold class ids but the csv names no defect.  When
 *   `<object>/image_anno.csv` names exactly one defect for the image, that is the defect;
 *   otherwise 'anomaly' (with the several names in `labels`).
 * - `<object>/class_ids.json` (mask value -> defect name) gives `classNames`.
 * - Checks: listed files exist, are not empty and are images; an anomalous row without
 *   mask is an image without mask; masks in the listed mask folders that no row names are
 *   masks without image; a file listed twice is reported and its first row used.
 */
import { promises as fs } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { errorMessage, UserError } from '../../util/errors';
import { resolveInside, toManifestPath } from '../../util/paths';
import type { SourceSample } from '../types';
import { CLASS_IDS_FILE, readClassIds } from './classIds';
import { columnIndex, parseCsv, type CsvRecord } from './csv';
import { fileKind } from './fileKinds';
import { listDir } from './listing';
import { VISA_SPLIT_PARTS } from './layouts';
import { imageEntries } from './pairing';
import type { ProblemLog } from './problems';
import { normalizeManifestPath, readVisaAnnotations, VISA_ANNOTATIONS_FILE } from './visaAnnotations';

export const VISA_SPLIT_FILE = join(...VISA_SPLIT_PARTS);

const COLUMNS = ['object', 'split', 'label', 'image', 'mask'] as const;

export interface VisaRow {
  line: number;
  object: string;
  split: NonNullable<SourceSample['split']>;
  anomalous: boolean;
  image: string;
  mask?: string;
}

function rowSplit(split: string, anomalous: boolean): VisaRow['split'] | undefined {
  switch (split) {
    case 'train':
      return anomalous ? 'train' : 'train-good';
    case 'test':
      return 'test';
    case 'val':
      return 'val';
    default:
      return undefined;
  }
}

/** Turns the csv records into rows; bad rows are reported (naming the csv and line) and left out. */
export function parseVisaRows(records: readonly CsvRecord[], root: string, csvFile: string, problems: ProblemLog): VisaRow[] {
  const [header, ...body] = records;
  if (!header) throw new UserError(`empty split file; expected the header ${COLUMNS.join(',')}`, csvFile);
  let col: Record<(typeof COLUMNS)[number], number>;
  try {
    col = columnIndex(header.fields, COLUMNS);
  } catch (err) {
    throw new UserError(errorMessage(err), csvFile);
  }
  const rows: VisaRow[] = [];
  const seen = new Map<string, number>();
  for (const { fields, line } of body) {
    const get = (name: (typeof COLUMNS)[number]) => (fields[col[name]] ?? '').trim();
    const skip = (why: string) => problems.error(csvFile, `line ${line}: ${why}; row skipped`);
    const object = get('object');
    const label = get('label').toLowerCase();
    if (object === '') {
      skip('no object');
      continue;
    }
    if (label !== 'normal' && label !== 'anomaly') {
      skip(`label "${get('label')}" is neither normal nor anomaly`);
      continue;
    }
    const anomalous = label === 'anomaly';
    const split = rowSplit(get('split').toLowerCase(), anomalous);
    if (!split) {
      skip(`split "${get('split')}" is not train, val or test`);
      continue;
    }
    if (get('image') === '') {
      skip('no image path');
      continue;
    }
    let image: string;
    let mask: string | undefined;
    try {
      image = resolveInside(root, normalizeManifestPath(get('image')), csvFile);
      if (anomalous && get('mask') !== '') mask = resolveInside(root, normalizeManifestPath(get('mask')), csvFile);
    } catch (err) {
      skip(err instanceof UserError ? err.message.replace(`${csvFile}: `, '') : errorMessage(err));
      continue;
    }
    const first = seen.get(image);
    if (first !== undefined) {
      problems.warning(csvFile, `line ${line}: ${get('image')} is listed again (first at line ${first}); row skipped`, image);
      continue;
    }
    seen.set(image, line);
    rows.push({ line, object, split, anomalous, image, ...(mask !== undefined ? { mask } : {}) });
  }
  return rows;
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    const stat = await fs.stat(path);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    return undefined;
  }
}

/** Checks that a listed file exists, is an image and is not empty; reports it otherwise. */
function checkListed(path: string, size: number | undefined, what: string, where: string, csvFile: string, problems: ProblemLog): boolean {
  if (size === undefined) problems.error(path, `${what} listed in ${where} does not exist (or is not a file); row skipped`, csvFile);
  else if (fileKind(path) !== 'image') problems.error(path, `${what} listed in ${where} is not a supported image (png, jpg, jpeg, tif, tiff, webp); row skipped`, csvFile);
  else if (size === 0) problems.error(path, `empty file (0 bytes), listed in ${where}; row skipped`, csvFile);
  else return true;
  return false;
}

interface ObjectInfo {
  classNames?: Record<number, string>;
  labels?: Map<string, string[]>;
}

async function readObjectInfo(root: string, object: string, problems: ProblemLog): Promise<ObjectInfo> {
  if (object.includes('/') || object.includes('\\') || object === '.' || object === '..') return {};
  const dir = join(root, object);
  const [classNames, labels] = await Promise.all([
    readClassIds(join(dir, CLASS_IDS_FILE), problems),
    readVisaAnnotations(join(dir, VISA_ANNOTATIONS_FILE), problems),
  ]);
  return { ...(classNames ? { classNames } : {}), ...(labels ? { labels } : {}) };
}

function imageLabels(info: ObjectInfo, root: string, object: string, image: string): string[] {
  if (!info.labels) return [];
  return info.labels.get(toManifestPath(root, image)) ?? info.labels.get(toManifestPath(join(root, object), image)) ?? [];
}

/** Masks in the folders the csv takes masks from that no row names. */
async function reportUnlistedMasks(rows: readonly VisaRow[], where: string, csvFile: string, problems: ProblemLog): Promise<void> {
  const listed = new Set(rows.flatMap((r) => (r.mask ? [r.mask] : [])));
  const folders = [...new Set([...listed].map((m) => dirname(m)))].sort();
  for (const folder of folders) {
    const entries = await listDir(folder, problems);
    for (const entry of imageEntries(entries ?? [], problems)) {
      if (!listed.has(entry.path)) problems.warning(entry.path, `mask without image: no row of ${where} names this mask; ignored`, csvFile);
    }
  }
}

export async function readVisa(root: string, problems: ProblemLog): Promise<SourceSample[]> {
  const csvFile = join(root, VISA_SPLIT_FILE);
  const where = relative(root, csvFile);
  let records: CsvRecord[];
  try {
    records = parseCsv(await fs.readFile(csvFile, 'utf8'));
  } catch (err) {
    throw new UserError(`cannot read the VisA split file: ${errorMessage(err)}`, csvFile);
  }
  const rows = parseVisaRows(records, root, csvFile, problems);

  const sizes = await Promise.all(rows.map((r) => Promise.all([fileSize(r.image), r.mask ? fileSize(r.mask) : undefined])));
  const objects = new Map<string, ObjectInfo>();
  for (const object of [...new Set(rows.map((r) => r.object))].sort()) objects.set(object, await readObjectInfo(root, object, problems));

  const samples: SourceSample[] = [];
  rows.forEach((row, i) => {
    const [imageSize, maskSize] = sizes[i];
    const at = `${where} line ${row.line}`;
    if (!checkListed(row.image, imageSize, 'image', at, csvFile, problems)) return;
    const info = objects.get(row.object) ?? {};
    const classNames = info.classNames ? { classNames: info.classNames } : {};
    if (!row.anomalous) {
      samples.push({ image: row.image, object: row.object, defect: 'good', split: row.split, ...classNames });
      return;
    }
    if (!row.mask) {
      problems.error(row.image, `image without mask: ${at} lists an anomalous image with an empty mask column; skipped`, csvFile);
      return;
    }
    if (maskSize === undefined) {
      problems.error(row.image, `image without mask: the mask ${row.mask} listed in ${at} does not exist; skipped`, row.mask);
      return;
    }
    if (!checkListed(row.mask, maskSize, 'mask', at, csvFile, problems)) return;
    const labels = imageLabels(info, root, row.object, row.image);
    samples.push({
      image: row.image,
      mask: row.mask,
      object: row.object,
      defect: labels.length === 1 ? labels[0] : 'anomaly',
      split: row.split,
      ...classNames,
      ...(labels.length > 1 ? { labels } : {}),
    });
  });
  await reportUnlistedMasks(rows, where, csvFile, problems);
  return samples;
}
