// Which mask files hold an image's regions, reading them into the mask document, and saving the
// document back: a built dataset's region masks and record (under the dataset's lock, through
// the same switch as a build), or the source mask the user opened (MVTec ground truth, class-id
// masks).  The source dataset of a build is never written from a built dataset's image.
import { promises as fs } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { readMask } from '../image/mask';
import { readImageInfo } from '../image/read';
import { writeLabelMaskPng } from '../image/write';
import { CLASS_IDS_FILE, readClassIds } from '../dataset/readers/classIds';
import { ProblemLog } from '../dataset/readers/problems';
import { mvtecImage } from '../dataset/readers/layouts';
import { VISA_SPLIT_FILE, readVisa } from '../dataset/readers/visa';
import { MANIFEST_FILE, SPLITS, parseJsonl, readDataset, splitFile } from '../dataset/manifest';
import { checkImageRecord } from '../dataset/schema';
import { readDescriptionEntries } from '../dataset/descriptionEntries';
import { contentAddressed, sha256, writeOwnedFile } from '../dataset/ownedFiles';
import { commitDataset, splitCounts, withDatasetLock } from '../dataset/commit';
import { readSteady } from '../dataset/steadyRead';
import { regionPng } from '../image/write';
import type { ImageRecord } from '../dataset/format';
import type { RegionClass, RegionsSource } from './regionsTypes';
import { UserError } from '../util/errors';
import { faultPoint } from '../util/faultPoint';
import { isFile } from '../util/pathKinds';
import { resolveInside, resolveInsideReal, resolveWritableInside } from '../util/paths';
import { checkMaskForRead, checkMaskForWrite } from './maskFileKind';
import { MaskModel } from './maskDocument/maskModel';
import { modelFromRegionMasks, modelFromSourceMask, recordRegions } from './maskDocument/regionMasks';
import { BUILD_DEFAULTS } from '../dataset/buildDefaults';
import { reconcileClasses } from './reconcileClasses';
import { checkBase, maskFileVersion, readAtVersion, recordVersion, versionOf } from './regionsVersion';
import { builtinDescription } from '../describe/builtin';

export type { RegionsSource };

export interface LoadedRegions {
  image: string;
  width: number;
  height: number;
  source: RegionsSource;
  model: MaskModel;
}

const samePath = (a: string, b: string) => resolve(a) === resolve(b);

/** The built dataset `image` may belong to: the nearest folder above it with a dataset.json. */
async function datasetRoot(image: string): Promise<string | undefined> {
  for (let dir = dirname(resolve(image)); ; dir = dirname(dir)) {
    if (await isFile(join(dir, MANIFEST_FILE))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The record of `image` in the dataset in `dir`, if its split files list it (read as they are now). */
async function recordSource(dir: string, image: string): Promise<RegionsSource | undefined> {
  // An unreadable manifest: the regions still load from the record.
  const entries = (await readDescriptionEntries(dir)) ?? [];
  for (const split of SPLITS) {
    let text: string;
    try {
      text = await fs.readFile(join(dir, splitFile(split)), 'utf8');
    } catch {
      continue;
    }
    for (const { line, value } of parseJsonl(text)) {
      if (checkImageRecord(value).length > 0) continue;
      const record = value as ImageRecord;
      let file: string;
      try {
        file = resolveInside(dir, record.image);
      } catch {
        continue;
      }
      if (!samePath(file, image)) continue;
      // Only the record's own object's classes: a region is never offered another object's label.
      const classes = entries.filter((d) => d.object === record.object).map((d) => ({ defect: d.defect, description: d.text }));
      return { kind: 'dataset', root: dir, split, line, record, descriptions: [...new Set(classes.map((c) => c.description))], classes };
    }
  }
  return undefined;
}

/** The built dataset's record of `image`, if any: its manifest and split files read as one version (steadyRead.ts). */
async function datasetSource(image: string): Promise<RegionsSource | undefined> {
  const dir = await datasetRoot(image);
  return dir === undefined ? undefined : readSteady(dir, () => recordSource(dir, image));
}

/** The classes a source mask's regions may get: its class map's classes, else its folder's one defect. */
function maskClasses(object: string, defect: string, classNames?: Record<number, string>): RegionClass[] {
  if (!classNames) return [{ defect, description: builtinDescription(object, defect).text }];
  return Object.entries(classNames)
    .map(([id, name]) => ({ defect: name, description: builtinDescription(object, name).text, classId: Number(id) }))
    .sort((a, b) => a.classId - b.classId);
}

/** MVTec AD: `<object>/test/<defect>/<stem>.<ext>` -> `<object>/ground_truth/<defect>/<stem>_mask.png` (layouts.ts), with `<object>/class_ids.json`. */
async function mvtecSource(image: string): Promise<RegionsSource | undefined> {
  const found = mvtecImage(resolve(image));
  if (!found) return undefined;
  const { objectDir, object, defect } = found;
  for (const mask of found.masks) {
    if (await isFile(mask)) {
      const classNames = await readClassIds(join(objectDir, CLASS_IDS_FILE), new ProblemLog());
      return { kind: 'mask', mask, defect, object, ...(classNames ? { classNames } : {}), classes: maskClasses(object, defect, classNames) };
    }
  }
  return undefined;
}

/** VisA: the row of `split_csv/1cls.csv` (in a folder above the image) that lists the image names its mask. */
async function visaSource(image: string): Promise<RegionsSource | undefined> {
  const full = resolve(image);
  for (let dir = dirname(full), depth = 0; depth < 6 && dirname(dir) !== dir; dir = dirname(dir), depth++) {
    if (!(await isFile(join(dir, VISA_SPLIT_FILE)))) continue;
    const samples = await readVisa(dir, new ProblemLog());
    const sample = samples.find((s) => samePath(s.image, full));
    if (!sample?.mask) return undefined;
    return { kind: 'mask', mask: sample.mask, defect: sample.defect, object: sample.object, ...(sample.classNames ? { classNames: sample.classNames } : {}), classes: maskClasses(sample.object, sample.defect, sample.classNames) };
  }
  return undefined;
}

/** Finds the files that hold `image`'s regions by the dataset's conventions; `mask` overrides them. */
export async function findRegionsSource(image: string, mask?: string): Promise<RegionsSource> {
  if (mask) await checkMaskForRead(mask);
  if (mask) return { kind: 'mask', mask: resolve(mask), defect: basename(dirname(resolve(image))), object: basename(dirname(dirname(dirname(resolve(image))))) };
  return (await datasetSource(image)) ?? (await conventionSource(image));
}

/** An image outside a built dataset: its source mask by MVTec's or VisA's conventions, else none. */
async function conventionSource(image: string): Promise<RegionsSource> {
  return (await mvtecSource(image)) ?? (await visaSource(image)) ?? { kind: 'none' };
}

/**
 * Finds the image's regions and reads them, with the version they were read at.  A built
 * dataset's record and its masks are found and read as one version of the dataset, the old or
 * the new: a rebuild that switched it meanwhile (and removed the masks the old record named)
 * makes them be found and read again (steadyRead.ts).
 */
export async function openImageRegions(image: string, mask?: string): Promise<{ value: LoadedRegions; version: string | undefined }> {
  const dir = mask === undefined ? await datasetRoot(image) : undefined;
  if (dir !== undefined) {
    const found = await readSteady(dir, async () => {
      const source = await recordSource(dir, image);
      return source && { value: await loadImageRegions(image, source), version: await versionOf(source) };
    });
    if (found) return found;
  }
  const source = mask === undefined ? await conventionSource(image) : await findRegionsSource(image, mask);
  return readAtVersion(source, () => loadImageRegions(image, source));
}

/** Reads the image's size and its regions into a mask document. */
export async function loadImageRegions(image: string, source: RegionsSource, describe: (object: string, defect: string) => string = (o, d) => builtinDescription(o, d).text): Promise<LoadedRegions> {
  const { width, height } = await readImageInfo(image);
  if (source.kind === 'none') return { image, width, height, source, model: new MaskModel(width, height) };
  if (source.kind === 'mask') {
    await checkMaskForRead(source.mask);
    const read = await readMask(source.mask, { classIds: source.classNames !== undefined });
    if (read.mask.width !== width || read.mask.height !== height) {
      throw new UserError(`the mask is ${read.mask.width}x${read.mask.height} but the image ${image} is ${width}x${height}`, source.mask);
    }
    const model = modelFromSourceMask(width, height, read.mask.values, {
      eps: BUILD_DEFAULTS.eps,
      minPts: BUILD_DEFAULTS.minPts,
      defect: source.defect,
      ...(source.classNames ? { classNames: source.classNames } : {}),
      describe: (defect) => describe(source.object, defect),
    });
    return { image, width, height, source, model };
  }
  faultPoint('regions:read');
  const masks = await Promise.all(
    source.record.regions.map(async (region) => {
      const read = await readMask(resolveInsideReal(source.root, region.mask, join(source.root, splitFile(source.split))));
      if (read.mask.width !== width || read.mask.height !== height) throw new UserError(`is ${read.mask.width}x${read.mask.height}, the image ${width}x${height}`, region.mask);
      return { values: read.mask.values, meta: { defect: region.defect, description: region.description, ...(region.classId !== undefined ? { classId: region.classId } : {}) } };
    }),
  );
  return { image, width, height, source, model: modelFromRegionMasks(width, height, masks) };
}

/** Whether a mask the record named may be removed: inside the real dataset root, not through a link. */
function removableInside(root: string, mask: string): boolean {
  try {
    resolveWritableInside(root, mask);
    return true;
  } catch {
    return false;
  }
}

/** The region masks' stem of a record: `masks/…/000_0.1a2b3c4d.png` -> `masks/…/000`. */
function maskStem(record: ImageRecord): string {
  const first = record.regions[0]?.mask;
  if (first) return first.replace(/_\d+(\.[0-9a-f]{8})?\.png$/, '');
  const image = record.image.replace(/^images\//, 'masks/');
  return image.slice(0, image.length - extname(image).length).replace(/\.[0-9a-f]{8}$/, '');
}

/**
 * Saves the document.  A built dataset: each region as a content-named 0/255 PNG, the record's
 * regions (area, box, defect, description) and the counts and statistics switched in together
 * under the dataset's lock; masks no record uses any more are removed.  A source mask: written
 * in place (temp file + rename), as class ids where the mask holds them, else 0/255.
 */
export async function saveImageRegions(
  loaded: Pick<LoadedRegions, 'source' | 'model' | 'width' | 'height'> & { /** The version the regions were read at: refused when they moved on (regionsVersion.ts). */ version?: string },
  /** Descriptions the user confirmed as new classes of the object; without it, any description may make one. */
  options: { newClasses?: readonly string[] } = {},
): Promise<{ files: string[]; source: RegionsSource; version?: string }> {
  const { source, model } = loaded;
  if (source.kind === 'none') throw new UserError('the image has no mask to save into; choose a mask file first');
  if (source.kind === 'mask') {
    await checkMaskForWrite(source.mask);
    if (source.classNames) {
      const areas = new Map(model.facts().map((f) => [f.id, f.area]));
      const unclassed = model.regions().find((r) => r.classId === undefined && (areas.get(r.id) ?? 0) > 0);
      if (unclassed) throw new UserError(`region ${unclassed.id} ("${unclassed.description}") has no class id, and this mask stores class ids (${CLASS_IDS_FILE}): give it one of the object's classes`, source.mask);
    }
    const values = new Uint16Array(model.labels.length);
    const classIds = new Map(model.regions().map((r) => [r.id, r.classId ?? 255]));
    for (let i = 0; i < values.length; i++) if (model.labels[i] !== 0) values[i] = source.classNames ? (classIds.get(model.labels[i]) as number) : 255;
    checkBase(loaded.version, await maskFileVersion(source.mask), source.mask, source.mask);
    await writeLabelMaskPng(source.mask, { width: model.width, height: model.height, values });
    return { files: [source.mask], source, version: await maskFileVersion(source.mask) };
  }
  const root = source.root;
  return withDatasetLock(root, 'anomaly-lens mask editor: save', async () => {
    const { manifest, records } = await readDataset(root);
    const index = records[source.split].findIndex((r) => r.image === source.record.image);
    checkBase(loaded.version, index < 0 ? 'record:missing' : recordVersion(source.split, records[source.split][index]), source.record.image, join(root, splitFile(source.split)));
    if (index < 0) throw new UserError(`no record of ${source.record.image} any more; reopen the image`, join(root, splitFile(source.split)));
    const stem = maskStem(records[source.split][index]);
    // The record may have changed on disk since it was read: its masks are written only inside the
    // real dataset root, never through a symbolic link, even when no region is left to write.
    const splitPath = join(root, splitFile(source.split));
    resolveWritableInside(root, `${stem}_0.png`, splitPath);
    const written: string[] = [];
    const names = new Map<number, string>();
    for (const { id } of model.regions()) {
      const pixels = model.pixelsOf(id);
      if (pixels.length === 0) continue;
      const png = await regionPng(model.width, model.height, pixels);
      const hash = sha256(png);
      const name = contentAddressed(`${stem}_${names.size}.png`, hash);
      resolveWritableInside(root, name, splitPath);
      await writeOwnedFile(root, name, png, hash);
      names.set(id, name);
      written.push(name);
    }
    const current = records[source.split][index];
    const reconciled = reconcileClasses(manifest, current.object, recordRegions(model, (id) => names.get(id) as string), options.newClasses);
    const record: ImageRecord = { ...current, regions: reconciled.regions };
    records[source.split][index] = record;
    const updated = { ...reconciled.manifest, counts: splitCounts(records) };
    const oldMasks = source.record.regions.map((r) => r.mask).filter((mask) => removableInside(root, mask));
    await commitDataset(root, { manifest: updated, records, splits: [source.split] }, oldMasks);
    return { files: written.map((f) => join(root, f.split('/').join(sep))), source: { ...source, record }, version: recordVersion(source.split, record) };
  });
}

