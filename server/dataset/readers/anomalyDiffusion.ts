/**
 * AnomalyDiffusion generated data.
 *
 * - `<root>/<object>/<defect>/image/<N>.<ext>` pairs with `<root>/<object>/<defect>/mask/<N>.<ext>`
 *   (same stem; JPEG masks, thresholded when built, or PNG).  The root may also be one
 *   object folder.
 * - defect = the folder name; no split (the build assigns train/val).  A `good`, `ok` or
 *   `normal` folder holds normal images and needs no masks.
 * - `<object>/class_ids.json` (mask value -> defect name) gives `classNames`.
 * - A sub-folder of an object without `image/` is reported and ignored.
 */
import { basename, join } from 'node:path';
import { UserError } from '../../util/errors';
import type { SourceSample } from '../types';
import { CLASS_IDS_FILE, readClassIds } from './classIds';
import { isGoodFolderName } from './fileKinds';
import { defectSamples, goodSamples, readEach, readImageFolder } from './folders';
import { ANOMALYDIFFUSION_FOLDERS as FOLDERS } from './layouts';
import { childDirs, isDir, listDir, subdirs } from './listing';
import { commonExtension, pairByKey } from './pairing';
import type { ProblemLog } from './problems';
import { pushAll } from '../../util/arrays';

async function isDefectFolder(dir: string): Promise<boolean> {
  const [image, mask] = await Promise.all([isDir(join(dir, FOLDERS.images)), isDir(join(dir, FOLDERS.masks))]);
  return image && mask;
}

async function holdsDefectFolder(dir: string): Promise<boolean> {
  for (const child of await childDirs(dir)) if (await isDefectFolder(child)) return true;
  return false;
}

/** The object folders of an AnomalyDiffusion root (the root itself when it is one). */
export async function anomalyDiffusionObjects(root: string): Promise<string[]> {
  if (await holdsDefectFolder(root)) return [root];
  const objects: string[] = [];
  for (const dir of await childDirs(root)) if (await holdsDefectFolder(dir)) objects.push(dir);
  return objects;
}

async function readDefectFolder(dir: string, object: string, classNames: Record<number, string> | undefined, problems: ProblemLog): Promise<SourceSample[]> {
  const defect = basename(dir);
  const imageDir = join(dir, FOLDERS.images);
  const maskDir = join(dir, FOLDERS.masks);
  const images = await readImageFolder(imageDir, problems);
  if (!images) return [];
  if (isGoodFolderName(defect)) return goodSamples(images, object, { classNames });
  const masks = await readImageFolder(maskDir, problems, { missingOk: true });
  if (!masks) return [];
  const pairs = pairByKey(
    images,
    masks,
    {
      mask: (key) => join(maskDir, `${key}${commonExtension(masks, '.jpg')}`),
      image: (key) => join(imageDir, `${key}${commonExtension(images, '.jpg')}`),
    },
    problems,
  );
  return defectSamples(pairs, object, defect, { classNames });
}

async function readObject(objectDir: string, problems: ProblemLog): Promise<SourceSample[]> {
  const object = basename(objectDir);
  const classNames = await readClassIds(join(objectDir, CLASS_IDS_FILE), problems);
  const samples: SourceSample[] = [];
  for (const entry of subdirs((await listDir(objectDir, problems)) ?? []).values()) {
    if (await isDir(join(entry.path, FOLDERS.images))) pushAll(samples, await readDefectFolder(entry.path, object, classNames, problems));
    else problems.warning(entry.path, 'no image/ folder (AnomalyDiffusion keeps images in <defect>/image and masks in <defect>/mask); ignored');
  }
  return samples;
}

export async function readAnomalyDiffusion(root: string, problems: ProblemLog): Promise<SourceSample[]> {
  const objects = await anomalyDiffusionObjects(root);
  if (objects.length === 0) {
    throw new UserError('no AnomalyDiffusion folders found (<object>/<defect>/image/ with <object>/<defect>/mask/)', root);
  }
  return readEach(objects, (objectDir) => readObject(objectDir, problems));
}
