// Accuracy by the kind of image a region lies in: alone, among regions of the same
// description, or among regions of different descriptions. The last row is where a model
// must follow the mask to be right; a whole-image model cannot tell the regions apart.
import type { RegionPrediction } from '../records';
import { groupBy } from '../../util/arrays';
import { type ComparisonRow, comparisonRow } from './accuracy';

export const IMAGE_KINDS = ['one region', 'several regions, one description', 'several regions, different descriptions'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

export function imageKinds(records: readonly RegionPrediction[]): Map<RegionPrediction, ImageKind> {
  const kinds = new Map<RegionPrediction, ImageKind>();
  for (const regions of groupBy(records, (r) => r.image).values()) {
    const descriptions = new Set(regions.map((r) => r.truth)).size;
    const kind: ImageKind = regions.length === 1 ? IMAGE_KINDS[0] : descriptions === 1 ? IMAGE_KINDS[1] : IMAGE_KINDS[2];
    for (const r of regions) kinds.set(r, kind);
  }
  return kinds;
}

/** One row per kind that occurs, in the order of IMAGE_KINDS. */
export function byImageKind(records: readonly RegionPrediction[], withBaseline: boolean): ComparisonRow[] {
  const kinds = imageKinds(records);
  return IMAGE_KINDS.map((kind) => records.filter((r) => kinds.get(r) === kind))
    .map((group, i) => ({ group, label: IMAGE_KINDS[i] }))
    .filter(({ group }) => group.length > 0)
    .map(({ group, label }) => comparisonRow(label, group, withBaseline));
}
