// Between mask files and the model: region masks of a built dataset (one 0/255 PNG per region),
// a source mask split into its regions (MVTec binary or class-id masks), and back.
import { splitMask } from '../../masks/split';
import type { RegionRecord } from '../../dataset/format';
import { MaskModel, MAX_REGION_ID } from './maskModel';
import type { RegionMeta } from './types';

export interface RegionMaskInput {
  /** Pixel values, row-major; any non-zero value is the region. */
  values: ArrayLike<number>;
  meta: Omit<RegionMeta, 'id'>;
}

/** A built dataset's record: one mask per region, in record order (ids 1, 2, …). */
export function modelFromRegionMasks(width: number, height: number, masks: readonly RegionMaskInput[]): MaskModel {
  if (masks.length > MAX_REGION_ID) throw new RangeError(`${masks.length} regions; at most ${MAX_REGION_ID}`);
  const labels = new Uint16Array(width * height);
  masks.forEach((mask, k) => {
    if (mask.values.length !== labels.length) throw new RangeError(`region mask ${k} has ${mask.values.length} values for ${width}x${height} pixels`);
    for (let i = 0; i < labels.length; i++) if (mask.values[i] !== 0 && labels[i] === 0) labels[i] = k + 1;
  });
  return new MaskModel(width, height, labels, masks.map((m, k) => ({ ...m.meta, id: k + 1 })));
}

/**
 * One source mask split into its regions as a build would (DBSCAN with eps/minPts; class-id
 * masks per class, each region keeping its class id and the class's defect name).
 */
export function modelFromSourceMask(
  width: number,
  height: number,
  values: Uint16Array,
  options: { eps: number; minPts: number; classNames?: Record<number, string>; defect: string; describe: (defect: string) => string },
): MaskModel {
  const perClass = options.classNames !== undefined;
  const split = splitMask({ width, height, values }, { mode: 'dbscan', eps: options.eps, minPts: options.minPts, minArea: 0, perClass });
  const labels = new Uint16Array(width * height);
  const metas: RegionMeta[] = split.regions.map((region, k) => {
    for (const i of region.pixels) labels[i] = k + 1;
    const defect = perClass && region.classId !== undefined ? (options.classNames?.[region.classId] ?? options.defect) : options.defect;
    return { id: k + 1, defect, description: options.describe(defect), ...(perClass && region.classId !== undefined ? { classId: region.classId } : {}) };
  });
  return new MaskModel(width, height, labels, metas);
}

/** A region as an 8-bit 0/255 mask. */
export function regionMask(model: MaskModel, id: number): Uint8Array {
  const out = new Uint8Array(model.labels.length);
  for (let i = 0; i < out.length; i++) if (model.labels[i] === id) out[i] = 255;
  return out;
}

/** Every region in one mask: each pixel holds its region's class id (255 for a region without one). */
export function classIdMask(model: MaskModel): Uint16Array {
  const ids = new Map(model.regions().map((r) => [r.id, r.classId ?? 255]));
  const out = new Uint16Array(model.labels.length);
  for (let i = 0; i < out.length; i++) if (model.labels[i] !== 0) out[i] = ids.get(model.labels[i]) ?? 255;
  return out;
}

/**
 * The `regions` of a split-file record for the model's non-empty regions, in id order, with
 * their mask files named by `maskFile(id)`.
 */
export function recordRegions(model: MaskModel, maskFile: (id: number) => string): RegionRecord[] {
  const metas = new Map(model.regions().map((r) => [r.id, r]));
  return model
    .facts()
    .filter((f) => f.area > 0 && f.bbox)
    .map((f) => {
      const meta = metas.get(f.id) as RegionMeta;
      return {
        mask: maskFile(f.id),
        bbox: f.bbox as [number, number, number, number],
        area: f.area,
        defect: meta.defect,
        description: meta.description,
        ...(meta.classId !== undefined ? { classId: meta.classId } : {}),
      };
    });
}
