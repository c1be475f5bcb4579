/**
 * LabelMe files: an image with a same-stem `.json` beside it (what LabelMe saves), in the root or
 * in folders below it (three levels at most).
 *
 * - The JSON's `imagePath` (relative to the JSON's folder) names the image; without it, or when
 *   that file is missing, the same-stem image beside the JSON.  An embedded `imageData` is not
 *   read: the image file must be there (LabelMe keeps it beside the JSON).
 * - Each shape is one region whose defect is its `label`: `polygon` (3 points or more),
 *   `rectangle` (two corners) and `circle` (the centre and a point on the circle).  Shapes with
 *   the same `group_id` and label are one region.  Lines and points have no area: reported,
 *   skipped.
 * - A JSON without shapes marks a normal image; an image without a JSON is reported and ignored.
 * - The object is the name of the folder right under the root that holds the files, or the
 *   source folder's name for files in the root.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { rectanglePart } from '../../masks/drawn';
import type { DrawnRegion, ShapePart } from '../../masks/shapeTypes';
import { pushAll } from '../../util/arrays';
import { errorMessage, UserError } from '../../util/errors';
import { isInside } from '../../util/paths';
import type { SourceSample } from '../types';
import { fileKind, stemOf } from './fileKinds';
import { holdsLabelmePair } from './layouts';
import { isFile, listDir, subdirs, type Entry } from './listing';
import { ProblemLog } from './problems';

const MAX_DEPTH = 3;

/** Folders (the root first) down to MAX_DEPTH, with their entries. */
async function folders(root: string, problems: ProblemLog): Promise<{ dir: string; entries: Entry[] }[]> {
  const found: { dir: string; entries: Entry[] }[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    const entries = await listDir(dir, problems);
    if (!entries) return;
    found.push({ dir, entries });
    if (depth < MAX_DEPTH) for (const sub of subdirs(entries).values()) await visit(sub.path, depth + 1);
  };
  await visit(root, 0);
  return found;
}

export async function isLabelmeRoot(root: string): Promise<boolean> {
  const quiet = new ProblemLog();
  const top = await listDir(root, quiet);
  if (!top) return false;
  if (holdsLabelmePair(top.map((e) => e.name))) return true;
  for (const sub of subdirs(top).values()) {
    const entries = await listDir(sub.path, quiet);
    if (entries && holdsLabelmePair(entries.map((e) => e.name))) return true;
  }
  return false;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPoint = (p: unknown): p is [number, number] => Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1]);

/** The shape of one LabelMe shape, or why it has none. */
export function labelmeParts(shape: Json): ShapePart[] | string {
  const type = typeof shape.shape_type === 'string' ? shape.shape_type : 'polygon';
  const points = Array.isArray(shape.points) ? shape.points : [];
  if (!points.every(isPoint)) return 'its points are not [x, y] pairs';
  switch (type) {
    case 'polygon':
      if (points.length < 3) return `a polygon needs 3 points or more, it has ${points.length}`;
      return [{ kind: 'polygon', points: points.flatMap(([x, y]) => [x, y]) }];
    case 'rectangle': {
      if (points.length !== 2) return `a rectangle needs 2 corners, it has ${points.length} points`;
      const [[x1, y1], [x2, y2]] = points;
      return [rectanglePart(Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1))];
    }
    case 'circle': {
      if (points.length !== 2) return `a circle needs its centre and a point on it, it has ${points.length} points`;
      const [[cx, cy], [px, py]] = points;
      return [{ kind: 'circle', cx, cy, r: Math.hypot(px - cx, py - cy) }];
    }
    default:
      return `shape type "${type}" has no area (polygon, rectangle and circle are read)`;
  }
}

function objectOf(root: string, dir: string): string {
  const rel = relative(root, dir);
  return rel === '' ? basename(root) : rel.split(sep)[0];
}

async function readLabelmeFile(root: string, file: string, problems: ProblemLog): Promise<SourceSample | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    problems.error(file, `cannot read the LabelMe file: ${errorMessage(err)}; skipped`);
    return undefined;
  }
  if (!isObject(json) || !Array.isArray(json.shapes)) {
    problems.error(file, 'not a LabelMe file (expected an object with a "shapes" list); skipped');
    return undefined;
  }
  const dir = dirname(file);
  const candidates: string[] = [];
  if (typeof json.imagePath === 'string' && json.imagePath !== '') candidates.push(join(dir, json.imagePath.replace(/\\/g, '/')));
  const entries = (await listDir(dir, new ProblemLog())) ?? [];
  const stem = stemOf(basename(file));
  for (const e of entries) if (e.kind === 'file' && stemOf(e.name) === stem && fileKind(e.name) === 'image') candidates.push(e.path);
  let image: string | undefined;
  for (const candidate of candidates) {
    if (isInside(root, candidate) && fileKind(candidate) === 'image' && (await isFile(candidate))) {
      image = candidate;
      break;
    }
  }
  if (!image) {
    const named = typeof json.imagePath === 'string' ? ` (imagePath "${json.imagePath}")` : '';
    const embedded = typeof json.imageData === 'string' && json.imageData !== '' ? '; the image embedded as imageData is not read, keep the image file beside the JSON' : '';
    problems.error(file, `its image${named} is not in the source folder${embedded}; skipped`);
    return undefined;
  }

  const groups = new Map<string, DrawnRegion>();
  const regions: DrawnRegion[] = [];
  json.shapes.forEach((shape, k) => {
    const where = `shape ${k}`;
    if (!isObject(shape) || typeof shape.label !== 'string' || shape.label.trim() === '') {
      problems.error(file, `${where} has no label; skipped`);
      return;
    }
    const parts = labelmeParts(shape);
    if (typeof parts === 'string') {
      problems.warning(file, `${where} ("${shape.label}"): ${parts}; skipped`);
      return;
    }
    const defect = shape.label.trim();
    const group = shape.group_id !== null && shape.group_id !== undefined ? `${String(shape.group_id)}\0${defect}` : undefined;
    const grouped = group !== undefined ? groups.get(group) : undefined;
    if (grouped) {
      pushAll(grouped.parts, parts);
      return;
    }
    const region: DrawnRegion = { defect, parts, where: `${where} of ${relative(root, file)}` };
    if (group !== undefined) groups.set(group, region);
    regions.push(region);
  });
  const object = objectOf(root, dir);
  if (json.shapes.length === 0) return { image, object, defect: 'good' };
  if (regions.length === 0) {
    problems.error(file, 'none of its shapes can be read; image skipped', image);
    return undefined;
  }
  const defects = [...new Set(regions.map((r) => r.defect))];
  return { image, object, defect: defects.length === 1 ? defects[0] : 'anomaly', drawn: { file, regions } };
}

export async function readLabelme(root: string, problems: ProblemLog): Promise<SourceSample[]> {
  const samples: SourceSample[] = [];
  const used = new Set<string>();
  let files = 0;
  const all = await folders(root, problems);
  for (const { entries } of all) {
    for (const entry of entries) {
      if (entry.kind !== 'file' || !entry.name.toLowerCase().endsWith('.json')) continue;
      const stem = stemOf(entry.name);
      // A JSON with no image of its stem beside it and no "shapes" is some other file.
      const paired = entries.some((e) => e.kind === 'file' && stemOf(e.name) === stem && fileKind(e.name) === 'image');
      if (!paired && !(await looksLikeLabelme(entry.path))) continue;
      files++;
      const sample = await readLabelmeFile(root, entry.path, problems);
      if (!sample) continue;
      if (used.has(sample.image)) {
        problems.warning(entry.path, `its image ${relative(root, sample.image)} is annotated by another LabelMe file too; this one is skipped`, sample.image);
        continue;
      }
      used.add(sample.image);
      samples.push(sample);
    }
  }
  if (files === 0) throw new UserError('no LabelMe file found (an image with a same-stem .json beside it)', root);
  for (const { dir, entries } of all) {
    const lone = entries.filter((e) => e.kind === 'file' && fileKind(e.name) === 'image' && !used.has(e.path));
    const unannotated = lone.filter((e) => !entries.some((j) => j.kind === 'file' && j.name.toLowerCase() === `${stemOf(e.name).toLowerCase()}.json`));
    if (unannotated.length > 0) problems.warning(unannotated[0].path, `${unannotated.length} image(s) in ${relative(root, dir) || 'the source folder'} have no LabelMe file; ignored (save an annotation without shapes to mark an image normal)`);
  }
  return samples;
}

async function looksLikeLabelme(file: string): Promise<boolean> {
  try {
    const json: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    return isObject(json) && Array.isArray(json.shapes);
  } catch {
    return false;
  }
}
