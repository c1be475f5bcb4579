// The defect types of the sample dataset and how each one looks.  Every painter returns the
// region it claims (the ground-truth mask) and a function that draws it; the mask covers the
// drawn marks with a small margin, the way annotators outline a defect.
import {
  copyShape,
  disc,
  fillShape,
  intersect,
  jitterRgb,
  mixRgb,
  blob,
  polygon,
  polyline,
  randomHarmonics,
  shapePixels,
  union,
  type Canvas,
  type Point,
  type Rgb,
} from './draw';
import type { Scene } from './objects/scene';
import type { Random } from './random';

export const DEFECT_TYPES = ['scratch', 'hole', 'crack', 'stain', 'contamination', 'missing_piece'] as const;
export type DefectType = (typeof DEFECT_TYPES)[number];

export interface DefectProposal {
  /** Ground-truth pixels, y*size+x, ascending. */
  pixels: number[];
  /** Whether the region must lie on the object's surface (false: it cuts the outline). */
  onSurface: boolean;
  paint(image: Canvas): void;
}

export type PaintDefect = (rng: Random, scene: Scene) => DefectProposal | undefined;

const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];

function anchor(rng: Random, scene: Scene): Point {
  const p = rng.pick(scene.surfacePixels);
  const x = p % scene.size;
  return { x: x + rng.uniform(-0.5, 0.5), y: (p - x) / scene.size + rng.uniform(-0.5, 0.5) };
}

/** Thin bright line with a dark groove beside it, straight or gently bent. */
const scratch: PaintDefect = (rng, scene) => {
  const k = scene.scale;
  const centre = anchor(rng, scene);
  const length = rng.uniform(16, 32) * k;
  const angle = rng.uniform(0, Math.PI);
  const bend = rng.uniform(-3, 3) * k;
  const dx = (Math.cos(angle) * length) / 2;
  const dy = (Math.sin(angle) * length) / 2;
  const points: Point[] = [];
  for (let i = 0; i <= 8; i++) {
    const t = i / 8;
    const curve = 4 * t * (1 - t) * bend;
    points.push({ x: centre.x - dx + 2 * dx * t - Math.sin(angle) * curve, y: centre.y - dy + 2 * dy * t + Math.cos(angle) * curve });
  }
  const halfWidth = Math.max(0.6, rng.uniform(0.7, 1.1) * k);
  const line = polyline(points, halfWidth);
  const offset = 0.9 * k;
  const groove = polyline(points.map((p) => ({ x: p.x + offset, y: p.y + offset })), halfWidth);
  const bright = mixRgb(scene.tone, WHITE, rng.uniform(0.78, 0.95));
  const dark = mixRgb(scene.tone, BLACK, 0.55);
  return {
    pixels: shapePixels(union(line, groove), scene.size, scene.size, 1.1 * k),
    onSurface: true,
    paint: (image) => {
      fillShape(image, groove, dark, { opacity: 0.55 });
      fillShape(image, line, bright, { opacity: 0.95 });
    },
  };
};

/** Dark round hole with a shaded rim. */
const hole: PaintDefect = (rng, scene) => {
  const k = scene.scale;
  const c = anchor(rng, scene);
  const r = rng.uniform(3.5, 6) * k;
  const rim = disc(c.x, c.y, r + 1.3 * k);
  const inside = disc(c.x, c.y, r);
  const depth = rng.uniform(10, 32);
  return {
    pixels: shapePixels(rim, scene.size, scene.size, 0.3 * k),
    onSurface: true,
    paint: (image) => {
      fillShape(image, rim, mixRgb(scene.tone, BLACK, 0.45), { softness: 1.5 });
      fillShape(image, inside, [depth, depth * 0.95, depth * 0.9]);
    },
  };
};

function jaggedPath(rng: Random, start: Point, heading: number, steps: number, step: number): Point[] {
  const points: Point[] = [start];
  let direction = heading;
  for (let i = 0; i < steps; i++) {
    direction = heading + rng.uniform(-0.9, 0.9);
    const last = points[points.length - 1];
    points.push({ x: last.x + Math.cos(direction) * step * rng.uniform(0.7, 1.3), y: last.y + Math.sin(direction) * step * rng.uniform(0.7, 1.3) });
  }
  return points;
}

/** Jagged dark line, sometimes with a side branch. */
const crack: PaintDefect = (rng, scene) => {
  const k = scene.scale;
  const centre = anchor(rng, scene);
  const heading = rng.uniform(0, 2 * Math.PI);
  const steps = rng.int(5, 8);
  const step = rng.uniform(3.5, 5.5) * k;
  const half = (steps * step) / 2;
  const start = { x: centre.x - Math.cos(heading) * half, y: centre.y - Math.sin(heading) * half };
  const main = jaggedPath(rng, start, heading, steps, step);
  const halfWidth = Math.max(0.6, rng.uniform(0.6, 1.0) * k);
  const strokes = [polyline(main, halfWidth)];
  if (rng.chance(0.4)) {
    const from = main[rng.int(2, main.length - 2)];
    const side = heading + (rng.chance(0.5) ? 1 : -1) * rng.uniform(0.6, 1.2);
    strokes.push(polyline(jaggedPath(rng, from, side, rng.int(2, 3), step * 0.8), halfWidth * 0.8));
  }
  const shape = union(...strokes);
  const colour = mixRgb(scene.tone, [14, 12, 10], 0.88);
  return {
    pixels: shapePixels(shape, scene.size, scene.size, 1.1 * k),
    onSurface: true,
    paint: (image) => fillShape(image, shape, colour, { opacity: 0.95 }),
  };
};

const STAINS: Rgb[] = [
  [122, 82, 34],
  [168, 138, 52],
  [94, 70, 48],
];

/** Soft translucent brownish blob, darker at its rim like a dried drop. */
const stain: PaintDefect = (rng, scene) => {
  const k = scene.scale;
  const c = anchor(rng, scene);
  const r = rng.uniform(5, 9) * k;
  const shape = blob(c.x, c.y, r, randomHarmonics(rng, 3, 0.35));
  const colour = jitterRgb(rng, rng.pick(STAINS), 10);
  const opacity = rng.uniform(0.55, 0.75);
  const ring = rng.chance(0.5);
  return {
    pixels: shapePixels(shape, scene.size, scene.size, 0),
    onSurface: true,
    paint: (image) => {
      fillShape(image, shape, colour, { opacity, softness: 3 * k });
      if (ring) fillShape(image, { box: shape.box, sdf: (x, y) => Math.abs(shape.sdf(x, y) + 1.2 * k) - 0.8 * k }, colour, { opacity: 0.35 });
    },
  };
};

const CONTAMINANTS: Rgb[] = [
  [60, 220, 60],
  [232, 40, 220],
  [255, 150, 0],
  [0, 210, 240],
];

function distance(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** A cluster of small bright, saturated specks. */
const contamination: PaintDefect = (rng, scene) => {
  const k = scene.scale;
  const c = anchor(rng, scene);
  const r = rng.uniform(5, 8) * k;
  const visible = CONTAMINANTS.filter((colour) => distance(colour, scene.tone) > 150);
  const base = rng.pick(visible.length > 0 ? visible : CONTAMINANTS);
  const specks: { at: Point; r: number; colour: Rgb }[] = [];
  const count = rng.int(7, 14);
  for (let i = 0; i < count; i++) {
    const a = rng.uniform(0, 2 * Math.PI);
    const d = Math.sqrt(rng.next()) * (r - 1.5 * k);
    specks.push({ at: { x: c.x + Math.cos(a) * d, y: c.y + Math.sin(a) * d }, r: rng.uniform(0.8, 1.8) * k, colour: jitterRgb(rng, base, 18) });
  }
  return {
    pixels: shapePixels(disc(c.x, c.y, r), scene.size, scene.size, 0.5 * k),
    onSurface: true,
    paint: (image) => {
      for (const s of specks) fillShape(image, disc(s.at.x, s.at.y, s.r), s.colour);
    },
  };
};

/** A wedge cut into the object's outline, showing the background behind it. */
const missingPiece: PaintDefect = (rng, scene) => {
  const body = scene.body;
  if (!body) return undefined;
  const k = scene.scale;
  const theta = rng.uniform(0, 2 * Math.PI);
  const ux = Math.cos(theta);
  const uy = Math.sin(theta);
  let edge: Point | undefined;
  for (let d = scene.size; d >= 0; d -= 0.5) {
    const p = { x: scene.centre.x + ux * d, y: scene.centre.y + uy * d };
    if (body.sdf(p.x, p.y) <= 0) {
      edge = p;
      break;
    }
  }
  if (!edge) return undefined;
  const depth = rng.uniform(9, 15) * k;
  const halfBase = rng.uniform(5, 9) * k;
  const sway = rng.uniform(-2, 2) * k;
  const apex = { x: edge.x - ux * depth - uy * sway, y: edge.y - uy * depth + ux * sway };
  const out = 4 * k;
  const wedge = polygon([
    apex,
    { x: edge.x + ux * out - uy * halfBase, y: edge.y + uy * out + ux * halfBase },
    { x: edge.x + ux * out + uy * halfBase, y: edge.y + uy * out - ux * halfBase },
  ]);
  const cut = intersect(wedge, body);
  const rimColour = mixRgb(scene.tone, BLACK, 0.5);
  return {
    pixels: shapePixels(cut, scene.size, scene.size, 1 * k),
    onSurface: false,
    paint: (image) => {
      copyShape(image, scene.background, cut);
      fillShape(image, intersect({ box: wedge.box, sdf: (x, y) => Math.abs(wedge.sdf(x, y)) - 0.6 * k }, body), rimColour, { opacity: 0.6 });
    },
  };
};

export const DEFECT_PAINTERS: Record<DefectType, PaintDefect> = {
  scratch,
  hole,
  crack,
  stain,
  contamination,
  missing_piece: missingPiece,
};
