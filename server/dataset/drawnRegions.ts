// The regions a source draws (COCO, LabelMe) as pixels on their image: each drawn region is one
// region, never split further; run-length masks must have the image's size.
import { drawnPixels } from '../masks/drawn';
import type { DrawnRegion } from '../masks/shapeTypes';
import type { Region } from '../masks/types';
import type { Problem } from '../util/errors';

export interface DrawnOutcome {
  /** In the order drawn, each with the defect it was drawn with. */
  regions: (Region & { defect: string })[];
  /** Regions left out for having fewer pixels than min-area. */
  dropped: number;
  problems: Problem[];
}

function bboxOf(pixels: Uint32Array, width: number): [number, number, number, number] {
  let left = Infinity;
  let right = -1;
  for (const i of pixels) {
    const x = i % width;
    if (x < left) left = x;
    if (x > right) right = x;
  }
  const top = Math.floor(pixels[0] / width);
  const bottom = Math.floor(pixels[pixels.length - 1] / width);
  return [left, top, right - left + 1, bottom - top + 1];
}

export function drawnRegions(drawn: readonly DrawnRegion[], file: string, width: number, height: number, minArea: number): DrawnOutcome {
  const regions: DrawnOutcome['regions'] = [];
  const problems: Problem[] = [];
  let dropped = 0;
  for (const region of drawn) {
    const wrong = region.parts.find((p) => p.kind === 'rle' && (p.width !== width || p.height !== height));
    if (wrong && wrong.kind === 'rle') {
      problems.push({ file, message: `${region.where}: its run-length mask is ${wrong.height}×${wrong.width} (height×width) but the image is ${height}×${width}; region skipped`, severity: 'error' });
      continue;
    }
    const pixels = drawnPixels(region.parts, width, height);
    if (pixels.length === 0) {
      problems.push({ file, message: `${region.where} ("${region.defect}") covers no pixel of the ${width}×${height} image; region skipped`, severity: 'warning' });
      continue;
    }
    if (pixels.length < minArea) {
      dropped++;
      continue;
    }
    regions.push({ pixels, area: pixels.length, bbox: bboxOf(pixels, width), defect: region.defect });
  }
  return { regions, dropped, problems };
}
