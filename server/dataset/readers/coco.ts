/**
 * COCO instance segmentation, as pycocotools, CVAT and Label Studio write it.
 *
 * - Annotation files (layouts.ts COCO_FILES): `annotations.json` in the root beside the images;
 *   CVAT's `annotations/instances_<subset>.json` (each subset read); Label Studio's `result.json`.
 * - An image's `file_name` is looked for relative to its annotation file's folder, then in
 *   `images/<subset>/` and `images/` (CVAT), by its name alone in `images/` (Label Studio writes
 *   `images\<name>` or a path into its own media folder), then relative to the root; the first
 *   that exists inside the source is the image.
 * - Each annotation is one region (instances are never split or merged): `segmentation` as
 *   polygons (several lists are one region's parts), as run-length counts (`counts` a list, as
 *   CVAT writes masks) or as pycocotools' compressed string; an empty segmentation with a `bbox`
 *   (Label Studio's rectangles) is that box.  `iscrowd` annotations are regions like the others.
 * - A category gives its regions their defect: its `defect` field (anomaly-lens export-dataset
 *   writes it, with the description as `name`) or else its `name`.  The object is the category's
 *   `supercategory` when it names one, else the source folder's name.
 * - Images the file lists without annotations are normal images.
 * - Bad entries are reported naming the file and the entry, and skipped; the rest is read.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { rectanglePart } from '../../masks/drawn';
import { checkCounts, decodeCounts } from '../../masks/rle';
import type { DrawnRegion, ShapePart } from '../../masks/shapeTypes';
import { pushAll } from '../../util/arrays';
import { errorMessage, UserError } from '../../util/errors';
import { isInside } from '../../util/paths';
import type { SourceSample } from '../types';
import { fileKind } from './fileKinds';
import { COCO_FILES } from './layouts';
import { isFile, listDir } from './listing';
import { ProblemLog } from './problems';

/** The annotation files of a COCO source (absolute), with the subset each names ('' for one file). */
export async function cocoFiles(root: string): Promise<{ file: string; subset: string }[]> {
  const found: { file: string; subset: string }[] = [];
  for (const name of [COCO_FILES.plain, COCO_FILES.labelStudio]) if (await isFile(join(root, name))) found.push({ file: join(root, name), subset: '' });
  const folder = join(root, COCO_FILES.cvatFolder);
  for (const entry of (await listDir(folder, new ProblemLog(), { missingOk: true })) ?? []) {
    if (entry.kind === 'file' && COCO_FILES.cvatPattern.test(entry.name)) found.push({ file: entry.path, subset: entry.name.replace(/^instances_/, '').replace(/\.json$/, '') });
  }
  return found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

export async function isCocoRoot(root: string): Promise<boolean> {
  return (await cocoFiles(root)).length > 0;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number | string => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v !== '');
const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number' && Number.isFinite(n));

interface Category {
  defect: string;
  description?: string;
  object?: string;
}

/** A supercategory that names an object (not blank, not a placeholder). */
function objectName(supercategory: unknown): string | undefined {
  if (typeof supercategory !== 'string') return undefined;
  const name = supercategory.trim();
  return name === '' || /^(none|default|object|objects)$/i.test(name) ? undefined : name;
}

function readCategories(json: Json, file: string, problems: ProblemLog): Map<string, Category> {
  const categories = new Map<string, Category>();
  const list = Array.isArray(json.categories) ? json.categories : [];
  list.forEach((c, k) => {
    if (!isObject(c) || !isId(c.id) || typeof c.name !== 'string' || c.name.trim() === '') {
      problems.error(file, `categories[${k}] needs an id and a name; its annotations are skipped`);
      return;
    }
    const defect = typeof c.defect === 'string' && c.defect.trim() !== '' ? c.defect.trim() : c.name.trim();
    const object = objectName(c.supercategory);
    categories.set(String(c.id), {
      defect,
      ...(typeof c.defect === 'string' && c.defect.trim() !== '' ? { description: c.name.trim() } : {}),
      ...(object ? { object } : {}),
    });
  });
  return categories;
}

interface ImageEntry {
  id: string;
  fileName: string;
  width?: number;
  height?: number;
  defect?: string;
}

/** The shape of one annotation, or why it has none. */
export function annotationParts(ann: Json, image: ImageEntry): ShapePart[] | string {
  const seg = ann.segmentation;
  if (Array.isArray(seg) && seg.length > 0) {
    const parts: ShapePart[] = [];
    for (const [k, points] of seg.entries()) {
      if (!isNumbers(points)) return `segmentation[${k}] is not a list of coordinates`;
      if (points.length < 6 || points.length % 2 !== 0) return `segmentation[${k}] has ${points.length} numbers; a polygon needs pairs of x, y for at least 3 points`;
      parts.push({ kind: 'polygon', points });
    }
    return parts;
  }
  if (isObject(seg)) {
    const size = seg.size;
    if (!isNumbers(size) || size.length !== 2) return 'its run-length segmentation needs size [height, width]';
    const [height, width] = size;
    if (image.width !== undefined && image.height !== undefined && (width !== image.width || height !== image.height)) {
      return `its run-length segmentation is ${height}×${width} (height×width) but the image is listed as ${image.height}×${image.width}`;
    }
    let counts: unknown = seg.counts;
    if (typeof counts === 'string') {
      try {
        counts = decodeCounts(counts);
      } catch (err) {
        return `its compressed counts cannot be read: ${errorMessage(err)}`;
      }
    }
    const wrong = checkCounts(counts, width, height);
    if (wrong) return `its run-length segmentation is malformed: ${wrong}`;
    return [{ kind: 'rle', counts: counts as number[], height, width }];
  }
  const bbox = ann.bbox;
  if (isNumbers(bbox) && bbox.length === 4 && bbox[2] > 0 && bbox[3] > 0) return [rectanglePart(bbox[0], bbox[1], bbox[2], bbox[3])];
  return 'it has neither a segmentation nor a box';
}

interface FileRead {
  samples: SourceSample[];
  /** Images taken, for the check that no other file lists them too. */
  images: string[];
}

async function findImage(root: string, file: string, subset: string, fileName: string): Promise<{ path?: string; looked: string[] }> {
  const name = fileName.replace(/\\/g, '/');
  const base = basename(name);
  const candidates = [join(dirname(file), name), join(root, 'images', subset, name), join(root, 'images', name), join(root, 'images', base), join(root, name)];
  const looked: string[] = [];
  for (const candidate of [...new Set(candidates)]) {
    if (!isInside(root, candidate)) continue;
    looked.push(candidate);
    if (await isFile(candidate)) return { path: candidate, looked };
  }
  return { looked };
}

async function readCocoFile(root: string, file: string, subset: string, taken: Set<string>, problems: ProblemLog): Promise<FileRead | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    problems.error(file, `cannot read the COCO annotations: ${errorMessage(err)}; file skipped`);
    return undefined;
  }
  if (!isObject(json) || !Array.isArray(json.images) || !Array.isArray(json.annotations)) {
    problems.error(file, 'not a COCO annotation file (expected an object with "images", "annotations" and "categories" lists); file skipped');
    return undefined;
  }
  const categories = readCategories(json, file, problems);
  const supercategories = new Set([...categories.values()].map((c) => c.object));
  const fallbackObject = supercategories.size === 1 ? ([...supercategories][0] ?? basename(root)) : basename(root);

  const images = new Map<string, ImageEntry>();
  json.images.forEach((entry, k) => {
    if (!isObject(entry) || !isId(entry.id) || typeof entry.file_name !== 'string' || entry.file_name === '') {
      problems.error(file, `images[${k}] needs an id and a file_name; skipped`);
      return;
    }
    const id = String(entry.id);
    if (images.has(id)) {
      problems.error(file, `images[${k}] repeats image id ${id}; skipped`);
      return;
    }
    const size = typeof entry.width === 'number' && typeof entry.height === 'number' ? { width: entry.width, height: entry.height } : {};
    images.set(id, { id, fileName: entry.file_name, ...size, ...(typeof entry.defect === 'string' && entry.defect.trim() !== '' ? { defect: entry.defect.trim() } : {}) });
  });

  const regions = new Map<string, { object: string; region: DrawnRegion }[]>();
  json.annotations.forEach((ann, k) => {
    const where = isObject(ann) && isId(ann.id) ? `annotation ${String(ann.id)}` : `annotations[${k}]`;
    if (!isObject(ann)) {
      problems.error(file, `${where} is not an object; skipped`);
      return;
    }
    const image = isId(ann.image_id) ? images.get(String(ann.image_id)) : undefined;
    if (!image) {
      problems.error(file, `${where} names image id ${JSON.stringify(ann.image_id)}, which "images" does not list; skipped`);
      return;
    }
    const category = isId(ann.category_id) ? categories.get(String(ann.category_id)) : undefined;
    if (!category) {
      problems.error(file, `${where} names category id ${JSON.stringify(ann.category_id)}, which "categories" does not list; skipped`);
      return;
    }
    const parts = annotationParts(ann, image);
    if (typeof parts === 'string') {
      problems.error(file, `${where} (image ${image.fileName}): ${parts}; skipped`);
      return;
    }
    const list = regions.get(image.id) ?? [];
    list.push({
      object: category.object ?? fallbackObject,
      region: { defect: category.defect, ...(category.description ? { description: category.description } : {}), parts, where: `${where} of ${relative(root, file)}` },
    });
    regions.set(image.id, list);
  });

  const samples: SourceSample[] = [];
  const read: string[] = [];
  for (const image of images.values()) {
    const found = await findImage(root, file, subset, image.fileName);
    const drawn = regions.get(image.id) ?? [];
    if (!found.path) {
      problems.error(file, `image ${image.fileName} (id ${image.id}) not found (looked at ${found.looked.map((p) => relative(root, p)).join(', ') || 'nothing inside the source'}); its ${drawn.length} annotation(s) skipped`);
      continue;
    }
    if (fileKind(found.path) !== 'image') {
      problems.error(found.path, `listed in ${relative(root, file)} but not a supported image (png, jpg, jpeg, tif, tiff, webp); skipped`, file);
      continue;
    }
    if (taken.has(found.path)) {
      problems.warning(file, `image ${image.fileName} is listed by another annotation file too; this file's entry is skipped`, found.path);
      continue;
    }
    taken.add(found.path);
    read.push(found.path);
    const objects = [...new Set(drawn.map((d) => d.object))];
    const object = objects[0] ?? fallbackObject;
    if (objects.length > 1) problems.warning(file, `image ${image.fileName}: its annotations' categories name several objects (${objects.join(', ')}); the image is read as ${object}`, found.path);
    if (drawn.length === 0) {
      samples.push({ image: found.path, object, defect: 'good' });
      continue;
    }
    const defects = [...new Set(drawn.map((d) => d.region.defect))];
    samples.push({
      image: found.path,
      object,
      defect: image.defect ?? (defects.length === 1 ? defects[0] : 'anomaly'),
      drawn: { file, regions: drawn.map((d) => d.region) },
    });
  }
  return { samples, images: read };
}

/** Two categories that give one class two descriptions: the first is kept. */
function checkDescriptions(samples: readonly SourceSample[], problems: ProblemLog): void {
  const seen = new Map<string, string>();
  for (const sample of samples) {
    for (const region of sample.drawn?.regions ?? []) {
      if (region.description === undefined) continue;
      const key = `${sample.object}\0${region.defect}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, region.description);
      else if (first !== region.description) {
        problems.warning(sample.drawn?.file as string, `${region.where}: ${sample.object}/${region.defect} is described as "${region.description}" here but as "${first}" before; the first is used`);
        region.description = first;
      }
    }
  }
}

export async function readCoco(root: string, problems: ProblemLog): Promise<SourceSample[]> {
  const files = await cocoFiles(root);
  if (files.length === 0) {
    throw new UserError(`no COCO annotation file found (looked for ${COCO_FILES.plain}, ${COCO_FILES.cvatFolder}/instances_<subset>.json and ${COCO_FILES.labelStudio})`, root);
  }
  const taken = new Set<string>();
  const samples: SourceSample[] = [];
  let readable = 0;
  for (const { file, subset } of files) {
    const read = await readCocoFile(root, file, subset, taken, problems);
    if (!read) continue;
    readable++;
    pushAll(samples, read.samples);
  }
  if (readable === 0) {
    const first = problems.list.find((p) => p.severity === 'error');
    throw new UserError(first?.message ?? 'no COCO annotation file could be read', first?.file ?? files[0].file);
  }
  checkDescriptions(samples, problems);
  return samples;
}
