// @pure: pixel AUROC: every pixel of every image is one sample, anomalous where its ground-truth mask is non-zero.
import { aurocOfSorted, checkFinite } from './auroc';
import { sortedScores } from './sortScores';
import type { ScoredMask } from './types';

export function checkScoredMask(image: ScoredMask, what: string): void {
  const size = image.width * image.height;
  if (image.map.length !== size) throw new RangeError(`${what}: anomaly map has ${image.map.length} values for ${image.width}x${image.height} pixels`);
  if (image.mask.length !== size) throw new RangeError(`${what}: mask has ${image.mask.length} values for ${image.width}x${image.height} pixels`);
  checkFinite(image.map, `${what}: anomaly map`);
}

/** AUROC over all pixels of all images (roc_auc_score of the concatenated masks and maps); null without both kinds of pixel. */
export function pixelAuroc(images: readonly ScoredMask[]): number | null {
  let total = 0;
  let anomalous = 0;
  let single = true;
  images.forEach((image, k) => {
    checkScoredMask(image, `pixel AUROC, image ${k}`);
    total += image.mask.length;
    for (let i = 0; i < image.mask.length; i++) if (image.mask[i]) anomalous++;
    if (!(image.map instanceof Float32Array)) single = false;
  });
  // Float32 maps stay float32: the same values, ties and all, in half the memory.
  const Values = single ? Float32Array : Float64Array;
  const positives = new Values(anomalous);
  const negatives = new Values(total - anomalous);
  let a = 0;
  let b = 0;
  for (const { map, mask } of images) {
    for (let i = 0; i < mask.length; i++) {
      if (mask[i]) positives[a++] = map[i];
      else negatives[b++] = map[i];
    }
  }
  return aurocOfSorted(sortedScores(positives), sortedScores(negatives));
}
