// @pure: the source layouts a build reads and their conventions, declared once: their names and
// what identifies each (detection order), the folder names that make an MVTec AD object or an
// AnomalyDiffusion defect folder, a guess of the layout from folder names (Build Dataset shows it
// beside each source), and which mask goes with an image and which image with a mask (the mask
// editor and Describe Region look for them).  Paths are worked on as text, with the separator
// they are written with: the callers check which candidates exist.
import type { SourceKind } from '../types';

export interface Layout {
  kind: SourceKind;
  name: string;
  /** What identifies it, for messages. */
  signature: string;
}

/** VisA's split file, relative to the root. */
export const VISA_SPLIT_PARTS = ['split_csv', '1cls.csv'] as const;

/** Where a COCO export keeps its annotation files, relative to the root: beside the images, CVAT's one per subset, Label Studio's. */
export const COCO_FILES = { plain: 'annotations.json', cvatFolder: 'annotations', cvatPattern: /^instances_.+\.json$/, labelStudio: 'result.json' } as const;

/** The layouts, in detection order: the first that matches wins. */
export const LAYOUTS: readonly Layout[] = [
  { kind: 'visa', name: 'VisA', signature: VISA_SPLIT_PARTS.join('/') },
  {
    kind: 'coco',
    name: 'COCO',
    signature: `${COCO_FILES.plain} beside the images, ${COCO_FILES.cvatFolder}/instances_<subset>.json with images/ (CVAT) or ${COCO_FILES.labelStudio} with images/ (Label Studio)`,
  },
  { kind: 'mvtec', name: 'MVTec AD', signature: '<object>/test/ with <object>/train/ or <object>/ground_truth/ (or the root as one object folder)' },
  { kind: 'anomalydiffusion', name: 'AnomalyDiffusion', signature: '<object>/<defect>/image/ with <object>/<defect>/mask/' },
  { kind: 'labelme', name: 'LabelMe', signature: 'images with a LabelMe <stem>.json beside them, in the root or in <object>/ folders' },
  { kind: 'generic', name: 'generic folder', signature: '<defect>/ or <object>/<defect>/ folders holding images (masks as <stem>_mask.<ext> or in masks/)' },
];

export const SOURCE_KINDS: readonly SourceKind[] = LAYOUTS.map((l) => l.kind);

export function layoutName(kind: SourceKind): string {
  return (LAYOUTS.find((l) => l.kind === kind) as Layout).name;
}

/** An MVTec AD object folder holds `test/` and at least one of `train/`, `ground_truth/`. */
export function isMvtecObjectFolder(has: (child: string) => boolean): boolean {
  return has('test') && (has('train') || has('ground_truth'));
}

/** An AnomalyDiffusion defect folder keeps its images in `image/` and their masks in `mask/`. */
export const ANOMALYDIFFUSION_FOLDERS = { images: 'image', masks: 'mask' } as const;

/** A source folder's names: its sub-folders and theirs (by 'a' and 'a/b'; the root is ''), and its files one level down ('a/b'). */
export interface Listing {
  dirs: Map<string, string[]>;
  files: Set<string>;
}

/** Whether a file (relative to a source's root, with `/`) is where a COCO export keeps its annotations. */
export function isCocoAnnotationFile(file: string): boolean {
  if (file === COCO_FILES.plain || file === COCO_FILES.labelStudio) return true;
  const [folder, name, ...rest] = file.split('/');
  return rest.length === 0 && folder === COCO_FILES.cvatFolder && name !== undefined && COCO_FILES.cvatPattern.test(name);
}

const IMAGE_NAME = /\.(png|jpe?g|tiff?|webp)$/i;

/** Whether a folder's file names hold an image with a same-stem `.json` beside it (a LabelMe file). */
export function holdsLabelmePair(names: Iterable<string>): boolean {
  const all = new Set(names);
  for (const name of all) if (IMAGE_NAME.test(name) && all.has(`${stemOf(name)}.json`)) return true;
  return false;
}

/** The layout a folder looks like from its names two levels down; the build detects it again, fully, from the files. */
export function guessLayout(listing: Listing): SourceKind | undefined {
  const top = listing.dirs.get('') ?? [];
  if (listing.files.has(VISA_SPLIT_PARTS.join('/'))) return 'visa';
  if ([...listing.files].some(isCocoAnnotationFile)) return 'coco';
  const sub = (d: string) => listing.dirs.get(d) ?? [];
  const mvtecObject = (children: string[]) => isMvtecObjectFolder((name) => children.includes(name));
  if (mvtecObject(top) || top.some((d) => mvtecObject(sub(d)))) return 'mvtec';
  if (top.some((d) => sub(d).some((defect) => sub(`${d}/${defect}`).includes(ANOMALYDIFFUSION_FOLDERS.images)))) return 'anomalydiffusion';
  const filesIn = (d: string) => [...listing.files].filter((f) => (d === '' ? !f.includes('/') : f.startsWith(`${d}/`) && !f.slice(d.length + 1).includes('/'))).map((f) => f.slice(d === '' ? 0 : d.length + 1));
  if (holdsLabelmePair(filesIn('')) || top.some((d) => holdsLabelmePair(filesIn(d)))) return 'labelme';
  if (top.length > 0) return 'generic';
  return undefined;
}

export function layoutLabel(kind: SourceKind | undefined): string {
  return kind ? layoutName(kind) : 'no known layout';
}

// Paths as text ---------------------------------------------------------------------------------

/** The separator a path is written with: `\` for a Windows path, else `/`. */
function separatorOf(file: string): string {
  return file.includes('\\') && !file.includes('/') ? '\\' : '/';
}

function partsOf(file: string): string[] {
  return file.split(/[/\\]/);
}

function joinParts(parts: readonly string[], sep: string): string {
  return parts.join(sep);
}

function extOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}

function stemOf(name: string): string {
  return name.slice(0, name.length - extOf(name).length);
}

/** The path with the nearest folder named `from` (not the file itself) renamed `to`. */
function swapFolder(file: string, from: string, to: string): string | undefined {
  const parts = partsOf(file);
  for (let i = parts.length - 2; i >= 0; i--) {
    if (parts[i] === from) {
      const copy = [...parts];
      copy[i] = to;
      return joinParts(copy, separatorOf(file));
    }
  }
  return undefined;
}

function withExt(file: string, ext: string): string {
  return file.slice(0, file.length - extOf(partsOf(file).at(-1) as string).length) + ext;
}

/** A sibling of `file` (same folder) named `name`, or one in its sub-folder `sub`. */
function besides(file: string, name: string, sub?: string): string {
  const parts = partsOf(file);
  return joinParts([...parts.slice(0, -1), ...(sub ? [sub] : []), name], separatorOf(file));
}

/** The extensions an image may have, most likely first. */
const IMAGE_EXTS = ['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp', '.JPG', '.PNG'];

/** The extensions an MVTec AD ground-truth mask may have, most likely first. */
const MVTEC_MASK_EXTS = ['.png', '.jpg', '.bmp', '.tif', '.tiff'];

export interface MvtecImage {
  /** The object folder, its name, and the defect folder's name. */
  objectDir: string;
  object: string;
  defect: string;
  /** Where its ground-truth mask may be, most likely first. */
  masks: string[];
}

/** MVTec AD: `<object>/test/<defect>/<stem>.<ext>` has its mask at `<object>/ground_truth/<defect>/<stem>_mask.<ext>`. */
export function mvtecImage(image: string): MvtecImage | undefined {
  const parts = partsOf(image);
  if (parts.length < 4 || parts[parts.length - 3] !== 'test') return undefined;
  const sep = separatorOf(image);
  const objectParts = parts.slice(0, -3);
  const defect = parts[parts.length - 2];
  const stem = stemOf(parts[parts.length - 1]);
  return {
    objectDir: joinParts(objectParts, sep),
    object: objectParts[objectParts.length - 1],
    defect,
    masks: MVTEC_MASK_EXTS.map((ext) => joinParts([...objectParts, 'ground_truth', defect, `${stem}_mask${ext}`], sep)),
  };
}

/** Mask files an image may have by the layouts' conventions, most likely first. */
export function maskCandidates(image: string): string[] {
  const parts = partsOf(image);
  const name = parts[parts.length - 1];
  const ext = extOf(name);
  const stem = stemOf(name);
  const out: string[] = [...(mvtecImage(image)?.masks ?? [])];
  const ad = swapFolder(image, ANOMALYDIFFUSION_FOLDERS.images, ANOMALYDIFFUSION_FOLDERS.masks);
  if (ad) out.push(ad, withExt(ad, '.png'));
  const visa = swapFolder(image, 'Images', 'Masks');
  if (visa) out.push(withExt(visa, '.png'));
  for (const e of [ext, '.png']) out.push(besides(image, `${stem}_mask${e}`), besides(image, `${stem}${e}`, 'masks'));
  return [...new Set(out)].filter((c) => c !== image);
}

/** Whether a file's name or folder says it is a mask. */
export function looksLikeMask(file: string): boolean {
  const parts = partsOf(file);
  return /_mask$/i.test(stemOf(parts[parts.length - 1])) || parts.slice(0, -1).some((p) => ['ground_truth', 'mask', 'masks', 'Masks', 'regions'].includes(p));
}

/** Image files a mask may belong to by the layouts' conventions, most likely first. */
export function imageCandidates(mask: string): string[] {
  const parts = partsOf(mask);
  const stem = stemOf(parts[parts.length - 1]);
  const bare = stem.replace(/_mask$/i, '');
  const out: string[] = [];
  const mvtec = swapFolder(mask, 'ground_truth', 'test');
  if (mvtec) for (const e of IMAGE_EXTS) out.push(besides(mvtec, bare + e));
  const ad = swapFolder(mask, ANOMALYDIFFUSION_FOLDERS.masks, ANOMALYDIFFUSION_FOLDERS.images);
  if (ad) for (const e of IMAGE_EXTS) out.push(withExt(ad, e));
  const visa = swapFolder(mask, 'Masks', 'Images');
  if (visa) for (const e of IMAGE_EXTS) out.push(withExt(visa, e));
  if (bare !== stem) for (const e of IMAGE_EXTS) out.push(besides(mask, bare + e));
  if (parts[parts.length - 2] === 'masks') for (const e of IMAGE_EXTS) out.push(joinParts([...parts.slice(0, -2), stem + e], separatorOf(mask)));
  return [...new Set(out)].filter((c) => c !== mask);
}

/** Of two selected files, which is the image and which the mask. */
export function orderPair(a: string, b: string): { image: string; mask: string } {
  if (looksLikeMask(a) && !looksLikeMask(b)) return { image: b, mask: a };
  return { image: a, mask: b };
}
