// Drawing one sample image: the object, then its defect regions placed apart from each
// other, then camera effects; the mask holds each region's class value.
import { classValue, type SampleObject } from './catalog';
import { DEFECT_PAINTERS, type DefectProposal, type DefectType } from './defects';
import { cloneCanvas, developImage } from './draw';
import { awayFromEdge, componentCount8, fractionIn, markAround, touches } from './pixels';
import { Random } from './random';
import type { Scene } from './objects/scene';

/**
 * Background pixels kept between two regions at 128×128 (scaled with the image, never
 * below 3): 8-connected labelling and DBSCAN with eps 1.5 need only one.
 */
export const REGION_GAP = 4;
const MIN_REGION_GAP = 3;
/** Smallest region area in pixels at 128×128 (scaled with the image area). */
export const MIN_REGION_AREA = 30;
/** Regions keep this many pixels away from the image border. */
const EDGE_BORDER = 2;
/** Share of a region that must lie on the object's surface. */
const MIN_ON_SURFACE = 0.85;
const TRIES_PER_REGION = 60;
const LAYOUT_ATTEMPTS = 20;
/** A crowded layout that does not fit is retried on a newly drawn object (other pose and size). */
const SCENE_ATTEMPTS = 5;

export interface DrawnRegion {
  defect: DefectType;
  classValue: number;
  area: number;
}

export interface DrawnImage {
  size: number;
  /** Packed 8-bit RGB. */
  rgb: Uint8Array;
  /** 8-bit class-value mask (0 = background); absent for good images. */
  mask?: Uint8Array;
  regions: DrawnRegion[];
}

function acceptable(p: DefectProposal, scene: Scene, taken: Uint8Array, minArea: number): boolean {
  const { size } = scene;
  if (p.pixels.length < minArea) return false;
  if (!awayFromEdge(p.pixels, size, size, EDGE_BORDER)) return false;
  if (p.onSurface && fractionIn(scene.surface, p.pixels) < MIN_ON_SURFACE) return false;
  if (touches(taken, p.pixels)) return false;
  return componentCount8(p.pixels, size, size) === 1;
}

/** Places all regions apart from each other, or gives up (undefined) after a few tries each. */
function placeRegions(rng: Random, scene: Scene, defects: readonly DefectType[]): DefectProposal[] | undefined {
  const { size } = scene;
  const taken = new Uint8Array(size * size);
  const minArea = Math.ceil(MIN_REGION_AREA * scene.scale * scene.scale);
  const gap = Math.max(MIN_REGION_GAP, Math.round(REGION_GAP * scene.scale));
  const placed: DefectProposal[] = [];
  for (const defect of defects) {
    let found: DefectProposal | undefined;
    for (let t = 0; t < TRIES_PER_REGION && !found; t++) {
      const p = DEFECT_PAINTERS[defect](rng, scene);
      if (p && acceptable(p, scene, taken, minArea)) found = p;
    }
    if (!found) return undefined;
    markAround(taken, found.pixels, size, size, gap);
    placed.push(found);
  }
  return placed;
}

/**
 * Draws an image of `object` with one region per entry of `defects` (none: a good image),
 * entirely determined by `seed`.
 */
export function drawImage(object: SampleObject, defects: readonly DefectType[], size: number, seed: number): DrawnImage {
  const rng = new Random(seed);
  let scene = object.render(rng.fork(), size);
  let placed: DefectProposal[] | undefined = defects.length === 0 ? [] : undefined;
  for (let s = 0; !placed && s < SCENE_ATTEMPTS; s++) {
    if (s > 0) scene = object.render(rng.fork(), size);
    for (let attempt = 0; attempt < LAYOUT_ATTEMPTS && !placed; attempt++) placed = placeRegions(rng.fork(), scene, defects);
  }
  if (!placed) throw new Error(`cannot place ${defects.length} separate regions (${defects.join(', ')}) on ${object.name} at ${size}×${size}`);
  const image = cloneCanvas(scene.image);
  for (const p of placed) p.paint(image);
  const effects = { contrast: rng.uniform(0.9, 1.1), offset: [rng.uniform(-10, 10), rng.uniform(-10, 10), rng.uniform(-10, 10)] as const, noise: rng.uniform(2, 4.5) };
  const rgb = developImage(image, effects, rng);
  if (defects.length === 0) return { size, rgb, regions: [] };

  const mask = new Uint8Array(size * size);
  const regions: DrawnRegion[] = placed.map((p, i) => {
    const value = classValue(object, defects[i]);
    for (const q of p.pixels) mask[q] = value;
    return { defect: defects[i], classValue: value, area: p.pixels.length };
  });
  const all = placed.flatMap((p) => p.pixels);
  const components = componentCount8(all, size, size);
  if (components !== defects.length) throw new Error(`internal: ${defects.length} regions drawn on ${object.name} but the mask has ${components} components`);
  return { size, rgb, mask, regions };
}
