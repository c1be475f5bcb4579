/**
 * MVTec AD layout.
 *
 * - An object folder holds `test/` and at least one of `train/`, `ground_truth/`.  The root
 *   is either one object folder or a folder of object folders (others are ignored).
 * - `train/good/*` -> normal samples, split 'train-good'; other folders under `train/` are
 *   reported and ignored.
 * - `test/good/*` -> normal samples, split 'test'.
 * - `test/<defect>/<stem>.<ext>` pairs with `ground_truth/<defect>/<stem>_mask.<ext>`
 *   (`<stem>.<ext>` is accepted too) -> anomalous samples, split 'test'.  An image without
 *   mask and a mask without image (also whole `ground_truth/<defect>` folders without a
 *   `test/<defect>`) are reported with the path the missing partner should have.
 * - MVTec 3D-AD folders: when `test/<defect>` (or `train/good`) holds `rgb/`, images are
 *   read from `rgb/` and masks from the sibling `gt/`, same stem.
 * - `<object>/class_ids.json` (mask value -> defect name) gives `classNames` to every
 *   sample of that object.
 * - MVTec LOCO AD folders: `ground_truth/<defect>/<stem>/` holds the image's mask images, one
 *   per annotated defect (mvtecLoco.ts); `<object>/defects_config.json` names their values
 *   when there is no `class_ids.json`; `validation/good/*` -> normal samples, split 'val'.
 */
import { basename, join } from 'node:path';
import { UserError } from '../../util/errors';
import type { SourceSample } from '../types';
import { readObjectClassMap } from './classIds';
import { byMaskStem, byStem, defectSamples, goodSamples, NO_FILES, readEach, readImageFolder, type SampleExtras } from './folders';
import { isMvtecObjectFolder } from './layouts';
import { childDirs, isDir, listDir, subdirs } from './listing';
import { isLocoMaskListing, readLocoDefectFolder } from './mvtecLoco';
import { commonExtension, pairByKey } from './pairing';
import { ProblemLog } from './problems';
import { pushAll } from '../../util/arrays';

export async function isMvtecObject(dir: string): Promise<boolean> {
  const names = ['test', 'train', 'ground_truth'];
  const found = await Promise.all(names.map((name) => isDir(join(dir, name))));
  return isMvtecObjectFolder((name) => found[names.indexOf(name)] === true);
}

/** The object folders of an MVTec AD root (the root itself when it is one). */
export async function mvtecObjects(root: string): Promise<string[]> {
  if (await isMvtecObject(root)) return [root];
  const dirs = await childDirs(root);
  const flags = await Promise.all(dirs.map(isMvtecObject));
  return dirs.filter((_, i) => flags[i]);
}

/** Normal images of a folder, from its `rgb/` sub-folder when it has one (MVTec 3D-AD). */
async function readGoodFolder(dir: string, object: string, extra: SampleExtras, problems: ProblemLog): Promise<SourceSample[]> {
  const rgb = join(dir, 'rgb');
  const images = await readImageFolder((await isDir(rgb)) ? rgb : dir, problems);
  return images ? goodSamples(images, object, extra) : [];
}

async function readDefectFolder(
  objectDir: string,
  defect: string,
  extra: SampleExtras,
  problems: ProblemLog,
): Promise<SourceSample[]> {
  const object = basename(objectDir);
  const testDir = join(objectDir, 'test', defect);
  const is3d = await isDir(join(testDir, 'rgb'));
  const imageDir = is3d ? join(testDir, 'rgb') : testDir;
  const maskDir = is3d ? join(testDir, 'gt') : join(objectDir, 'ground_truth', defect);
  if (!is3d) {
    // A probe: a folder that cannot be read is reported by the reading below.
    const maskEntries = await listDir(maskDir, new ProblemLog(), { missingOk: true });
    if (maskEntries && isLocoMaskListing(maskEntries)) return readLocoDefectFolder(objectDir, defect, maskEntries, extra, problems);
  }
  const images = await readImageFolder(imageDir, problems);
  const masks = await readImageFolder(maskDir, problems, { keyOf: is3d ? byStem : byMaskStem, missingOk: true });
  if (!images) return [];
  if (!masks) {
    if (images.byKey.size > 0) problems.error(imageDir, `${images.byKey.size} image(s) skipped: their mask folder ${maskDir} cannot be read`, maskDir);
    return [];
  }
  const maskSuffix = is3d ? '' : '_mask';
  const pairs = pairByKey(
    images,
    masks,
    {
      mask: (key) => join(maskDir, `${key}${maskSuffix}${commonExtension(masks, '.png')}`),
      image: (key) => join(imageDir, `${key}${commonExtension(images, '.png')}`),
    },
    problems,
  );
  return defectSamples(pairs, object, defect, extra);
}

/** Masks of a `ground_truth/<defect>` folder whose `test/<defect>` is missing: each is a mask without image. */
async function reportOrphanMaskFolder(objectDir: string, defect: string, problems: ProblemLog): Promise<void> {
  const imageDir = join(objectDir, 'test', defect);
  const masks = await readImageFolder(join(objectDir, 'ground_truth', defect), problems, { keyOf: byMaskStem });
  if (!masks) return;
  pairByKey(NO_FILES, masks, { mask: (key) => key, image: (key) => join(imageDir, `${key}.png`) }, problems);
}

async function readObject(objectDir: string, problems: ProblemLog): Promise<SourceSample[]> {
  const object = basename(objectDir);
  const classNames = (await readObjectClassMap(objectDir, problems))?.classNames;
  const samples: SourceSample[] = [];

  const train = await listDir(join(objectDir, 'train'), problems, { missingOk: true });
  for (const entry of subdirs(train ?? []).values()) {
    if (entry.name === 'good') pushAll(samples, await readGoodFolder(entry.path, object, { split: 'train-good', classNames }, problems));
    else problems.warning(entry.path, 'MVTec AD training images must be in train/good; this folder is ignored');
  }

  const validation = await listDir(join(objectDir, 'validation'), problems, { missingOk: true });
  for (const entry of subdirs(validation ?? []).values()) {
    if (entry.name === 'good') pushAll(samples, await readGoodFolder(entry.path, object, { split: 'val', classNames }, problems));
    else problems.warning(entry.path, 'MVTec LOCO AD validation images must be in validation/good; this folder is ignored');
  }

  const test = await listDir(join(objectDir, 'test'), problems);
  const defects = new Set<string>();
  for (const entry of subdirs(test ?? []).values()) {
    defects.add(entry.name);
    if (entry.name === 'good') pushAll(samples, await readGoodFolder(entry.path, object, { split: 'test', classNames }, problems));
    else pushAll(samples, await readDefectFolder(objectDir, entry.name, { split: 'test', classNames }, problems));
  }

  // A missing `test/` was reported above; its masks would only repeat that.
  if (!test) return samples;
  const groundTruth = await listDir(join(objectDir, 'ground_truth'), problems, { missingOk: true });
  for (const entry of subdirs(groundTruth ?? []).values()) {
    if (entry.name !== 'good' && !defects.has(entry.name)) await reportOrphanMaskFolder(objectDir, entry.name, problems);
  }
  return samples;
}

export async function readMvtec(root: string, problems: ProblemLog): Promise<SourceSample[]> {
  const objects = await mvtecObjects(root);
  if (objects.length === 0) {
    throw new UserError('no MVTec AD object folder found (an object folder holds test/ and train/ or ground_truth/), neither the root nor its sub-folders', root);
  }
  return readEach(objects, (objectDir) => readObject(objectDir, problems));
}
