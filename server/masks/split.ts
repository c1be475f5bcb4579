// @pure: a mask split into its regions, by the engine and by the mask editor's model alike.
import { pixelComponents } from './components';
import { dbscanPixels } from './dbscan';
import { maskClasses } from './maskClasses';
import { pixelRows } from './pixelRows';
import { regionsFromLabels } from './regions';
import { SPLIT_DEFAULTS, SPLIT_MODES } from './splitDefaults';
import type { LabelMask, Region, SplitOptions, SplitResult } from './types';

export const defaultSplitOptions: SplitOptions = { ...SPLIT_DEFAULTS, perClass: true };

function checkedOptions(options: Partial<SplitOptions>): SplitOptions {
  const o = { ...defaultSplitOptions, ...options };
  if (!SPLIT_MODES.includes(o.mode)) throw new RangeError(`split mode must be one of ${SPLIT_MODES.join(', ')}, not ${String(o.mode)}`);
  if (!(o.eps > 0)) throw new RangeError(`eps must be a positive number of pixels, not ${o.eps}`);
  if (!Number.isInteger(o.minPts) || o.minPts < 1) throw new RangeError(`minPts must be an integer of at least 1, not ${o.minPts}`);
  if (!(o.minArea >= 0)) throw new RangeError(`minArea must be a number of pixels >= 0, not ${o.minArea}`);
  return o;
}

/**
 * Splits a mask into its individual anomaly regions (paper eq. 4).  In 'dbscan' mode the
 * partition is the one density-clustering's DBSCAN gives on the foreground pixels in
 * row-major order (Euclidean distance < eps, minPts counting the point itself); 'cc4' and
 * 'cc8' are connected components.  Regions come in row-major order of their first pixel.
 * `nonZero`: the indices of the mask's non-zero values, ascending, when the reader listed them
 * (readMask's `pixels`).
 */
export function splitMask(mask: LabelMask, options: Partial<SplitOptions> = defaultSplitOptions, nonZero?: Int32Array): SplitResult {
  const o = checkedOptions(options);
  const { width, height } = mask;
  if (mask.values.length !== width * height) throw new RangeError(`mask has ${mask.values.length} values for ${width}x${height} pixels`);
  const regions: Region[] = [];
  let noise = 0;
  for (const { value, pixels } of maskClasses(mask.values, o.perClass, nonZero)) {
    const shape = pixelRows(pixels, width);
    let labels: Int32Array;
    let count: number;
    if (o.mode === 'dbscan') {
      const clustering = dbscanPixels(shape, o.eps, o.minPts);
      ({ labels, clusters: count } = clustering);
      noise += clustering.noise;
    } else {
      ({ labels, count } = pixelComponents(shape, o.mode === 'cc4' ? 4 : 8));
    }
    for (const region of regionsFromLabels(shape, labels, count, value)) regions.push(region);
  }
  const kept = regions.filter((region) => region.area >= o.minArea);
  kept.sort((a, b) => a.pixels[0] - b.pixels[0]);
  return { width, height, regions: kept, noise, dropped: regions.length - kept.length };
}
