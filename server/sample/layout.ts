// Where each file of the sample dataset goes, relative to the output folder.
//   synthetic/<object>/<defect>/image/<N>.jpg  +  mask/<N>.png     (AnomalyDiffusion)
//   mvtec/<object>/{train,test}/<defect|good>/NNN.png
//   mvtec/<object>/ground_truth/<defect>/NNN_mask.png                (MVTec AD)
//   {synthetic,mvtec}/<object>/class_ids.json                        (mask value -> defect)
import type { Layout, MvtecSplit } from './plan';

export const MANIFEST_FILE = 'sample.json';
export const CLASS_IDS_FILE = 'class_ids.json';
export const LAYOUT_DIRS: Record<Layout, string> = { synthetic: 'synthetic', mvtec: 'mvtec' };

/** One defect (or good) folder of one object in one layout. */
export interface FolderRef {
  layout: Layout;
  object: string;
  split?: MvtecSplit;
  folder: string;
}

/** Synthetic images are JPEG like AnomalyDiffusion's output; MVTec-layout images PNG like MVTec AD. */
export function imageExtension(layout: Layout): '.jpg' | '.png' {
  return layout === 'synthetic' ? '.jpg' : '.png';
}

function mvtecStem(index: number): string {
  return String(index).padStart(3, '0');
}

export function imagePath(ref: FolderRef, index: number): string {
  if (ref.layout === 'synthetic') return `${LAYOUT_DIRS.synthetic}/${ref.object}/${ref.folder}/image/${index}${imageExtension('synthetic')}`;
  return `${LAYOUT_DIRS.mvtec}/${ref.object}/${ref.split ?? 'test'}/${ref.folder}/${mvtecStem(index)}${imageExtension('mvtec')}`;
}

/** The mask of an anomalous image (good images have none). */
export function maskPath(ref: FolderRef, index: number): string {
  if (ref.layout === 'synthetic') return `${LAYOUT_DIRS.synthetic}/${ref.object}/${ref.folder}/mask/${index}.png`;
  return `${LAYOUT_DIRS.mvtec}/${ref.object}/ground_truth/${ref.folder}/${mvtecStem(index)}_mask.png`;
}

export function classIdsPath(layout: Layout, object: string): string {
  return `${LAYOUT_DIRS[layout]}/${object}/${CLASS_IDS_FILE}`;
}
