// @pure: all detection metrics of a set of evaluated images, per object and in total.
//
// An image is anomalous when its ground-truth mask has a non-zero pixel. The total row pools
// every image (one AUROC over all images' scores, one pixel AUROC and AUPRO over all pixels,
// region rates over all regions); the mean row averages the objects' values (those defined), as
// the MVTec AD tables average their categories.
import { auroc } from './auroc';
import { aupro, AUPRO_FPR_LIMIT } from './aupro';
import { pixelAuroc } from './pixelAuroc';
import { type RegionCounts, type RegionRates, NO_REGIONS, addCounts, regionCounts, regionRates } from './regionCounts';
import type { DetectionImage } from './types';

export interface DetectionRow extends RegionCounts, RegionRates {
  /** The object, or 'Total'. */
  object: string;
  images: number;
  anomalousImages: number;
  imageAuroc: number | null;
  pixelAuroc: number | null;
  aupro: number | null;
}

export interface DetectionMean {
  imageAuroc: number | null;
  pixelAuroc: number | null;
  aupro: number | null;
  recall: number | null;
  precision: number | null;
  descriptionAccuracy: number | null;
  endToEnd: number | null;
}

export interface DetectionMetrics {
  /** Objects in name order. */
  byObject: DetectionRow[];
  total: DetectionRow;
  mean: DetectionMean;
  fprLimit: number;
}

function isAnomalous(mask: ArrayLike<number>): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i]) return true;
  return false;
}

function checkRegionPixels(image: DetectionImage, k: number): void {
  const size = image.width * image.height;
  for (const [kind, regions] of [['ground-truth', image.truth], ['proposed', image.proposed]] as const) {
    regions.forEach((r, i) => {
      const last = r.pixels.length ? r.pixels[r.pixels.length - 1] : 0;
      if (r.pixels.length && (r.pixels[0] < 0 || last >= size)) throw new RangeError(`image ${k} (${image.object}): ${kind} region ${i} has a pixel outside its ${image.width}x${image.height} image`);
    });
  }
}

/** The metrics of one group of images. */
export function detectionRow(object: string, images: readonly DetectionImage[], fprLimit: number = AUPRO_FPR_LIMIT): DetectionRow {
  let counts = NO_REGIONS;
  const labels = images.map((image) => isAnomalous(image.mask));
  images.forEach((image, k) => {
    checkRegionPixels(image, k);
    counts = addCounts(counts, regionCounts(image.truth, image.proposed));
  });
  return {
    object,
    images: images.length,
    anomalousImages: labels.filter(Boolean).length,
    imageAuroc: auroc(images.map((image) => image.score), labels),
    pixelAuroc: pixelAuroc(images),
    aupro: aupro(images, fprLimit),
    ...counts,
    ...regionRates(counts),
  };
}

function meanOf(values: (number | null)[]): number | null {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length ? defined.reduce((s, v) => s + v, 0) / defined.length : null;
}

export function detectionMetrics(images: readonly DetectionImage[], options: { fprLimit?: number } = {}): DetectionMetrics {
  const fprLimit = options.fprLimit ?? AUPRO_FPR_LIMIT;
  const groups = new Map<string, DetectionImage[]>();
  for (const image of images) {
    const group = groups.get(image.object);
    if (group) group.push(image);
    else groups.set(image.object, [image]);
  }
  const names = [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const byObject = names.map((name) => detectionRow(name, groups.get(name) as DetectionImage[], fprLimit));
  const mean: DetectionMean = {
    imageAuroc: meanOf(byObject.map((r) => r.imageAuroc)),
    pixelAuroc: meanOf(byObject.map((r) => r.pixelAuroc)),
    aupro: meanOf(byObject.map((r) => r.aupro)),
    recall: meanOf(byObject.map((r) => r.recall)),
    precision: meanOf(byObject.map((r) => r.precision)),
    descriptionAccuracy: meanOf(byObject.map((r) => r.descriptionAccuracy)),
    endToEnd: meanOf(byObject.map((r) => r.endToEnd)),
  };
  return { byObject, total: detectionRow('Total', images, fprLimit), mean, fprLimit };
}
