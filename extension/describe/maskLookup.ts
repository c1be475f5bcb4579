// Which mask goes with an image, and which image with a mask or a dataset's region PNG, by the
// layouts' conventions: MVTec AD (<obj>/test/<defect>/<n>.<ext> ↔ <obj>/ground_truth/<defect>/<n>_mask.png),
// AnomalyDiffusion (<d>/image/<n> ↔ <d>/mask/<n>), VisA (Images/… ↔ Masks/… .png), folders
// (<stem>_mask.<ext> beside the image, or masks/<stem>.<ext>). Pure: the caller checks which exist.
import * as path from 'node:path';

const IMAGE_EXTS = ['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp', '.JPG', '.PNG'];

function swapDir(file: string, from: string, to: string): string | undefined {
  const parts = file.split(/[/\\]/);
  for (let i = parts.length - 2; i >= 0; i--) {
    if (parts[i] === from) {
      const copy = [...parts];
      copy[i] = to;
      return copy.join(path.sep === '\\' && file.includes('\\') ? '\\' : '/');
    }
  }
  return undefined;
}

function withExt(file: string, ext: string): string {
  return file.slice(0, file.length - path.extname(file).length) + ext;
}

/** Mask files an image may have, most likely first. */
export function maskCandidates(image: string): string[] {
  const dir = path.dirname(image);
  const ext = path.extname(image);
  const stem = path.basename(image, ext);
  const out: string[] = [];
  const mvtec = swapDir(image, 'test', 'ground_truth');
  if (mvtec) out.push(withExt(mvtec, '_mask.png'));
  const ad = swapDir(image, 'image', 'mask');
  if (ad) out.push(ad, withExt(ad, '.png'));
  const visa = swapDir(image, 'Images', 'Masks');
  if (visa) out.push(withExt(visa, '.png'));
  for (const e of [ext, '.png']) out.push(path.join(dir, `${stem}_mask${e}`), path.join(dir, 'masks', `${stem}${e}`));
  return [...new Set(out)].filter((c) => c !== image);
}

/** Whether a file's name or folder says it is a mask. */
export function looksLikeMask(file: string): boolean {
  const parts = file.split(/[/\\]/);
  const stem = path.basename(file, path.extname(file));
  return /_mask$/i.test(stem) || parts.slice(0, -1).some((p) => ['ground_truth', 'mask', 'masks', 'Masks', 'regions'].includes(p));
}

/** Image files a mask may belong to, most likely first. */
export function imageCandidates(mask: string): string[] {
  const dir = path.dirname(mask);
  const ext = path.extname(mask);
  const stem = path.basename(mask, ext);
  const bare = stem.replace(/_mask$/i, '');
  const out: string[] = [];
  const mvtec = swapDir(mask, 'ground_truth', 'test');
  if (mvtec) for (const e of IMAGE_EXTS) out.push(path.join(path.dirname(mvtec), bare + e));
  const ad = swapDir(mask, 'mask', 'image');
  if (ad) for (const e of IMAGE_EXTS) out.push(withExt(ad, e));
  const visa = swapDir(mask, 'Masks', 'Images');
  if (visa) for (const e of IMAGE_EXTS) out.push(withExt(visa, e));
  if (bare !== stem) for (const e of IMAGE_EXTS) out.push(path.join(dir, bare + e));
  if (path.basename(dir) === 'masks') for (const e of IMAGE_EXTS) out.push(path.join(path.dirname(dir), stem + e));
  return [...new Set(out)].filter((c) => c !== mask);
}

/** Of two selected files, which is the image and which the mask. */
export function orderPair(a: string, b: string): { image: string; mask: string } {
  if (looksLikeMask(a) && !looksLikeMask(b)) return { image: b, mask: a };
  return { image: a, mask: b };
}

/** A dataset record's image for a region PNG of that dataset (region masks are relative to its root). */
export function imageOfRegion(
  datasetRoot: string,
  regionFile: string,
  records: readonly { image: string; regions: readonly { mask: string }[] }[],
): { image: string; index: number } | undefined {
  const rel = path.relative(datasetRoot, regionFile).split(path.sep).join('/');
  for (const r of records) {
    const index = r.regions.findIndex((g) => g.mask === rel);
    if (index >= 0) return { image: path.join(datasetRoot, r.image), index };
  }
  return undefined;
}
