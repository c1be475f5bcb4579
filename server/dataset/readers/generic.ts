/**
 * Generic folder layout.
 *
 * - `<root>/<defect>/` or `<root>/<object>/<defect>/`.  A folder that directly holds image
 *   files is a defect folder; one that holds none is an object folder whose sub-folders
 *   are defect folders.  object = the object folder's name (the root's name for defect
 *   folders right under the root); defect = the defect folder's name.
 * - `good`, `ok` and `normal` folders (any case) hold normal images; they need no masks.
 * - In other defect folders every image needs one mask, found by stem: beside it as
 *   `<stem>_mask.<ext>` or `<stem>.mask.<ext>`, or in a `masks/`, `mask/`, `ground_truth/`
 *   or `gt/` sub-folder as `<stem>.<ext>` (the `_mask`/`.mask` suffix is allowed there
 *   too).  The extension may differ from the image's.  Two masks for one stem, an image
 *   without mask and a mask without image are reported.
 * - `<object>/class_ids.json` (mask value -> defect name) gives `classNames`.
 * - Images directly in the root and other sub-folders of defect folders are reported and
 *   ignored.
 */
import { basename, join } from 'node:path';
import { UserError } from '../../util/errors';
import type { SourceSample } from '../types';
import { CLASS_IDS_FILE, readClassIds } from './classIds';
import { fileKind, isGoodFolderName, stemOf } from './fileKinds';
import { defectSamples, goodSamples } from './folders';
import { listDir, subdirs, type Entry } from './listing';
import { commonExtension, imageEntries, keyFiles, pairByKey } from './pairing';
import { ProblemLog } from './problems';
import { pushAll } from '../../util/arrays';

export const MASK_FOLDERS: readonly string[] = ['masks', 'mask', 'ground_truth', 'gt'];

const MASK_SUFFIX = /(_mask|\.mask)$/;

const maskKey = (entry: Entry): string => stemOf(entry.name).replace(MASK_SUFFIX, '');

function isMaskName(name: string): boolean {
  return MASK_SUFFIX.test(stemOf(name));
}

function holdsImages(entries: readonly Entry[]): boolean {
  return entries.some((e) => e.kind === 'file' && fileKind(e.name) === 'image');
}

interface DefectFolder {
  dir: string;
  objectDir: string;
  entries: Entry[];
}

/** The defect folders of a generic root with the object folder each belongs to; unreadable folders are reported. */
async function defectFolders(root: string, problems: ProblemLog): Promise<DefectFolder[]> {
  const found: DefectFolder[] = [];
  for (const child of subdirs((await listDir(root, problems)) ?? []).values()) {
    const entries = await listDir(child.path, problems);
    if (!entries) continue;
    if (holdsImages(entries)) {
      found.push({ dir: child.path, objectDir: root, entries });
      continue;
    }
    for (const grandchild of subdirs(entries).values()) {
      const inner = await listDir(grandchild.path, problems);
      if (inner && holdsImages(inner)) found.push({ dir: grandchild.path, objectDir: child.path, entries: inner });
      else if (inner) problems.warning(grandchild.path, 'folder holds no images; ignored');
    }
  }
  return found;
}

export async function isGenericRoot(root: string): Promise<boolean> {
  return (await defectFolders(root, new ProblemLog())).length > 0;
}

async function readDefectFolder(
  { dir, objectDir, entries }: DefectFolder,
  classNames: Record<number, string> | undefined,
  problems: ProblemLog,
): Promise<SourceSample[]> {
  const object = basename(objectDir);
  const files = imageEntries(entries, problems);
  const images = keyFiles(files.filter((e) => !isMaskName(e.name)), (e) => stemOf(e.name), problems);
  if (isGoodFolderName(basename(dir))) return goodSamples(images, object, { classNames });

  const maskEntries = files.filter((e) => isMaskName(e.name));
  let maskDir: string | undefined;
  for (const sub of subdirs(entries).values()) {
    if (!MASK_FOLDERS.includes(sub.name)) {
      problems.warning(sub.path, `sub-folder of a defect folder is ignored (masks go beside the images or in ${MASK_FOLDERS.join('/, ')}/)`);
      continue;
    }
    maskDir ??= sub.path;
    pushAll(maskEntries, imageEntries((await listDir(sub.path, problems)) ?? [], problems));
  }
  const masks = keyFiles(maskEntries, maskKey, problems);
  const maskExt = commonExtension(masks, '.png');
  const pairs = pairByKey(
    images,
    masks,
    {
      mask: (key) => (maskDir ? join(maskDir, `${key}${maskExt}`) : join(dir, `${key}_mask${maskExt}`)),
      image: (key) => join(dir, `${key}${commonExtension(images, '.png')}`),
    },
    problems,
  );
  return defectSamples(pairs, object, basename(dir), { classNames });
}

export async function readGeneric(root: string, problems: ProblemLog): Promise<SourceSample[]> {
  const folders = await defectFolders(root, problems);
  if (folders.length === 0) {
    throw new UserError('no image folders found (the generic layout reads <defect>/ or <object>/<defect>/ folders of images and masks)', root);
  }
  const rootImages = imageEntries((await listDir(root, problems)) ?? [], problems);
  if (rootImages.length > 0) {
    problems.warning(rootImages[0].path, `${rootImages.length} image(s) directly in the dataset root are ignored; the generic layout reads <defect>/ or <object>/<defect>/ folders`);
  }
  const classMaps = new Map<string, Record<number, string> | undefined>();
  const samples: SourceSample[] = [];
  for (const folder of folders) {
    const { objectDir } = folder;
    if (!classMaps.has(objectDir)) classMaps.set(objectDir, await readClassIds(join(objectDir, CLASS_IDS_FILE), problems));
    pushAll(samples, await readDefectFolder(folder, classMaps.get(objectDir), problems));
  }
  return samples;
}
