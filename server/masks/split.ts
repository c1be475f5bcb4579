import { connectedComponents } from './components';
import { dbscanGrid } from './dbscan';
import { regionsFromLabels, type Crop } from './regions';
import type { LabelMask, Region, SplitMode, SplitOptions, SplitResult } from './types';

export const defaultSplitOptions: SplitOptions = { mode: 'dbscan', eps: 1.5, minPts: 1, minArea: 0, perClass: true };

const MODES: readonly SplitMode[] = ['dbscan', 'cc4', 'cc8'];

function checkedOptions(options: Partial<SplitOptions>): SplitOptions {
  const o = { ...defaultSplitOptions, ...options };
  if (!MODES.includes(o.mode)) throw new RangeError(`split mode must be one of ${MODES.join(', ')}, not ${String(o.mode)}`);
  if (!(o.eps > 0)) throw new RangeError(`eps must be a positive number of pixels, not ${o.eps}`);
  if (!Number.isInteger(o.minPts) || o.minPts < 1) throw new RangeError(`minPts must be an integer of at least 1, not ${o.minPts}`);
  if (!(o.minArea >= 0)) throw new RangeError(`minArea must be a number of pixels >= 0, not ${o.minArea}`);
  return o;
}

interface MaskClass {
  /** The mask value, or undefined for "every non-zero value". */
  value: number | undefined;
  crop: Crop;
}

/** The classes to split (each distinct non-zero value, or all non-zero as one) and their boxes. */
function maskClasses(mask: LabelMask, perClass: boolean): MaskClass[] {
  const { width, height, values } = mask;
  let top = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > top) top = values[i];
  if (top === 0) return [];
  const slots = perClass ? top + 1 : 2;
  const minX = new Int32Array(slots).fill(width);
  const maxX = new Int32Array(slots).fill(-1);
  const minY = new Int32Array(slots).fill(height);
  const maxY = new Int32Array(slots).fill(-1);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x];
      if (v === 0) continue;
      const k = perClass ? v : 1;
      if (x < minX[k]) minX[k] = x;
      if (x > maxX[k]) maxX[k] = x;
      if (y < minY[k]) minY[k] = y;
      maxY[k] = y;
    }
  }
  const classes: MaskClass[] = [];
  for (let k = 1; k < slots; k++) {
    if (maxX[k] < 0) continue;
    classes.push({
      value: perClass ? k : undefined,
      crop: { x0: minX[k], y0: minY[k], width: maxX[k] - minX[k] + 1, height: maxY[k] - minY[k] + 1 },
    });
  }
  return classes;
}

/** The crop's cells that belong to the class, as 0/1. */
function classPoints(mask: LabelMask, { value, crop }: MaskClass): Uint8Array {
  const points = new Uint8Array(crop.width * crop.height);
  for (let y = 0; y < crop.height; y++) {
    const from = (crop.y0 + y) * mask.width + crop.x0;
    for (let x = 0; x < crop.width; x++) {
      const v = mask.values[from + x];
      points[y * crop.width + x] = (value === undefined ? v !== 0 : v === value) ? 1 : 0;
    }
  }
  return points;
}

/**
 * Splits a mask into its individual anomaly regions (paper eq. 4).  In 'dbscan' mode the
 * partition is the one density-clustering's DBSCAN gives on the foreground pixels in
 * row-major order (Euclidean distance < eps, minPts counting the point itself); 'cc4' and
 * 'cc8' are connected components.  Regions come in row-major order of their first pixel.
 */
export function splitMask(mask: LabelMask, options: Partial<SplitOptions> = defaultSplitOptions): SplitResult {
  const o = checkedOptions(options);
  const { width, height } = mask;
  if (mask.values.length !== width * height) throw new RangeError(`mask has ${mask.values.length} values for ${width}x${height} pixels`);
  const regions: Region[] = [];
  let noise = 0;
  for (const cls of maskClasses(mask, o.perClass)) {
    const points = classPoints(mask, cls);
    const { crop } = cls;
    let labels: Int32Array;
    let count: number;
    if (o.mode === 'dbscan') {
      const clustering = dbscanGrid(points, crop.width, crop.height, o.eps, o.minPts);
      ({ labels, clusters: count } = clustering);
      noise += clustering.noise;
    } else {
      ({ labels, count } = connectedComponents(points, crop.width, crop.height, o.mode === 'cc4' ? 4 : 8));
    }
    regions.push(...regionsFromLabels(labels, count, crop, width, cls.value));
  }
  const kept = regions.filter((region) => region.area >= o.minArea);
  kept.sort((a, b) => a.pixels[0] - b.pixels[0]);
  return { width, height, regions: kept, noise, dropped: regions.length - kept.length };
}
