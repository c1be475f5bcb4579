// What the sample dataset holds: every image with its object, folder, defect regions and
// seed, decided up front from the master seed so drawing and writing order do not matter.
import { SAMPLE_OBJECTS, type SampleObject } from './catalog';
import type { DefectType } from './defects';
import { BASE_COUNTS, scaledCount } from './defaults';
import { deriveSeed, Random } from './random';

export { BASE_COUNTS, scaledCount };

export type Layout = 'synthetic' | 'mvtec';
export type MvtecSplit = 'train' | 'test';

export interface SampleOptions {
  seed: number;
  /** Multiplier on every image count. */
  scale: number;
  /** Width and height of the images in pixels. */
  size: number;
}

/** Relative frequency of images with 1, 2, … 7 regions: mostly few, some up to seven. */
export const REGION_COUNT_WEIGHTS: readonly number[] = [38, 24, 16, 10, 6, 4, 2];
export const MAX_REGIONS = REGION_COUNT_WEIGHTS.length;
/** Share of multi-region images whose regions are of different defect types. */
export const MIXED_SHARE = 0.6;
/** The defect folder of images with regions of several types. */
export const COMBINED = 'combined';
export const GOOD = 'good';

export interface PlannedImage {
  layout: Layout;
  object: SampleObject;
  /** MVTec layout only. */
  split?: MvtecSplit;
  /** Defect type, `combined` or `good`. */
  folder: string;
  /** Position within its folder, from 0. */
  index: number;
  /** One entry per region, in drawing order; empty for good images. */
  defects: DefectType[];
  seed: number;
}

/** Splits `total` by `weights` with largest remainders (exact total, deterministic ties). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((s, c) => s + c, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    counts[i]++;
    left--;
  }
  return counts;
}

function shuffle<T>(rng: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** The defect types of one image's regions: all alike, or (mixed) at least two kinds. */
export function regionDefects(rng: Random, object: SampleObject, count: number, mixed: boolean): DefectType[] {
  if (!mixed) {
    const defect = rng.pick(object.defects);
    return Array.from({ length: count }, () => defect);
  }
  const defects = Array.from({ length: count }, () => rng.pick(object.defects));
  if (defects.every((d) => d === defects[0])) {
    const others = object.defects.filter((d) => d !== defects[0]);
    defects[rng.int(0, count - 1)] = rng.pick(others);
  }
  return defects;
}

/** Anomalous images of one object in one layout, numbered per folder. */
function planAnomalous(options: SampleOptions, layout: Layout, object: SampleObject, total: number, split?: MvtecSplit): PlannedImage[] {
  const rng = new Random(deriveSeed(options.seed, 'plan', layout, object.name));
  const regionCounts = shuffle(
    rng,
    apportion(total, REGION_COUNT_WEIGHTS).flatMap((n, i) => Array.from({ length: n }, () => i + 1)),
  );
  const next = new Map<string, number>();
  return regionCounts.map((count) => {
    const mixed = count > 1 && object.defects.length > 1 && rng.chance(MIXED_SHARE);
    const defects = regionDefects(rng, object, count, mixed);
    const folder = mixed ? COMBINED : defects[0];
    const index = next.get(folder) ?? 0;
    next.set(folder, index + 1);
    return { layout, object, ...(split ? { split } : {}), folder, index, defects, seed: imageSeed(options.seed, layout, object.name, split, folder, index) };
  });
}

function planGood(options: SampleOptions, object: SampleObject, split: MvtecSplit, total: number): PlannedImage[] {
  return Array.from({ length: total }, (_, index) => ({
    layout: 'mvtec' as const,
    object,
    split,
    folder: GOOD,
    index,
    defects: [],
    seed: imageSeed(options.seed, 'mvtec', object.name, split, GOOD, index),
  }));
}

function imageSeed(seed: number, layout: Layout, object: string, split: MvtecSplit | undefined, folder: string, index: number): number {
  return deriveSeed(seed, 'image', layout, object, split ?? '', folder, index);
}

/** Every image of the sample dataset, grouped by layout, object and folder. */
export function planSample(options: SampleOptions): PlannedImage[] {
  const images: PlannedImage[] = [];
  const { scale } = options;
  for (const object of SAMPLE_OBJECTS) {
    images.push(...planAnomalous(options, 'synthetic', object, scaledCount(BASE_COUNTS.synthetic, scale)));
  }
  for (const object of SAMPLE_OBJECTS) {
    images.push(...planGood(options, object, 'train', scaledCount(BASE_COUNTS.mvtecTrainGood, scale)));
    images.push(...planGood(options, object, 'test', scaledCount(BASE_COUNTS.mvtecTestGood, scale)));
    images.push(...planAnomalous(options, 'mvtec', object, scaledCount(BASE_COUNTS.mvtecTest, scale), 'test'));
  }
  return images;
}
