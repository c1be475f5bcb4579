// What an object renderer hands to the defect painters.
import { cloneCanvas, createCanvas, fillShape, forEachPixel, jitterRgb, length, smoothNoise, type Canvas, type Point, type Rgb, type Shape } from '../draw';
import type { Random } from '../random';

/** Geometry is designed for 128×128 images and multiplied by `scale` = size / 128. */
export const DESIGN_SIZE = 128;

export interface Scene {
  size: number;
  scale: number;
  /** The defect-free image. */
  image: Canvas;
  /** What lies behind the object, shown where a piece is missing. */
  background: Canvas;
  /** 1 where a defect may lie (on the object, away from its edges). */
  surface: Uint8Array;
  /** The surface pixels as indices, for drawing anchors. */
  surfacePixels: number[];
  /** Outline of a free-standing object (absent for textures that fill the image). */
  body?: Shape;
  centre: Point;
  /** The typical colour of the surface. */
  tone: Rgb;
}

export type RenderScene = (rng: Random, size: number) => Scene;

/** A mask of where `shape` is at least `inset` pixels inside, minus the `holes`. */
export function surfaceOf(shape: Shape, size: number, inset: number, holes: Shape[] = []): { surface: Uint8Array; surfacePixels: number[] } {
  const surface = new Uint8Array(size * size);
  forEachPixel(shape, size, size, -inset, (x, y) => {
    surface[y * size + x] = 1;
  });
  for (const hole of holes) {
    forEachPixel(hole, size, size, 0, (x, y) => {
      surface[y * size + x] = 0;
    });
  }
  const surfacePixels: number[] = [];
  for (let i = 0; i < surface.length; i++) if (surface[i]) surfacePixels.push(i);
  return { surface, surfacePixels };
}

/** The image centre moved by up to ±`amount` design pixels each way. */
export function jitteredCentre(rng: Random, size: number, amount: number): Point {
  const k = size / DESIGN_SIZE;
  return { x: size / 2 + rng.uniform(-amount, amount) * k, y: size / 2 + rng.uniform(-amount, amount) * k };
}

/** Paints a soft drop shadow of the shape, offset down-right, on the image. */
export function dropShadow(image: Canvas, shape: Shape, offset: number, softness: number, opacity: number): void {
  const shifted: Shape = {
    box: { x0: shape.box.x0 + Math.floor(offset), y0: shape.box.y0 + Math.floor(offset), x1: shape.box.x1 + Math.ceil(offset), y1: shape.box.y1 + Math.ceil(offset) },
    sdf: (x, y) => shape.sdf(x - offset, y - offset),
  };
  fillShape(image, shifted, [0, 0, 0], { opacity, softness });
}

/** Where a free-standing object lies: a backdrop in one of `colours` (varied by `variation`) and its centre, moved by up to ±`centreJitter`. */
export function objectSetting(rng: Random, size: number, colours: readonly Rgb[], variation: number, centreJitter: number): { background: Canvas; centre: Point } {
  const background = backdrop(rng, size, jitterRgb(rng, rng.pick(colours), 8), variation);
  return { background, centre: jitteredCentre(rng, size, centreJitter) };
}

/** A grey metal between `darkest` and `lightest`, slightly tinted. */
export function metalTone(rng: Random, darkest: number, lightest: number, tint: number): Rgb {
  const grey = rng.uniform(darkest, lightest);
  const t = jitterRgb(rng, [0, 0, 0], tint);
  return [grey + t[0], grey + t[1], grey + t[2]];
}

/**
 * A texture that fills the image, drawn in coordinates turned by `angle` and moved by `origin`:
 * `colourAt` gets them and the pixel's index.
 */
export function turnedTexture(size: number, angle: number, colourAt: (u: number, v: number, i: number) => Rgb, origin: Point = { x: 0, y: 0 }): Canvas {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const image = createCanvas(size, size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      image.data.set(colourAt(x * c + y * s + origin.x, -x * s + y * c + origin.y, i), i * 3);
    }
  }
  return image;
}

/** A pixel's offset from a centre and its distance. */
export function fromCentre(x: number, y: number, centre: Point): { dx: number; dy: number; d: number } {
  const dx = x - centre.x;
  const dy = y - centre.y;
  return { dx, dy, d: length(dx, dy) };
}

/**
 * A scene of a free-standing object over its background: the body with its drop shadow
 * (`offset`, `softness`, `opacity`), each pixel in the colour `shade` gives it, then its `details`.
 */
export function objectScene(args: {
  size: number;
  background: Canvas;
  body: Shape;
  shadow: [offset: number, softness: number, opacity: number];
  shade: (x: number, y: number) => Rgb;
  details?: (image: Canvas) => void;
  surfaceInset: number;
  surfaceHoles?: Shape[];
  centre: Point;
  tone: Rgb;
}): Scene {
  const image = cloneCanvas(args.background);
  dropShadow(image, args.body, ...args.shadow);
  fillShape(image, args.body, args.shade);
  args.details?.(image);
  const { surface, surfacePixels } = surfaceOf(args.body, args.size, args.surfaceInset, args.surfaceHoles);
  return {
    size: args.size,
    scale: args.size / DESIGN_SIZE,
    image,
    background: args.background,
    surface,
    surfacePixels,
    body: args.body,
    centre: args.centre,
    tone: args.tone,
  };
}

/** A scene of a texture that fills the whole image; defects keep `border` pixels from the edge. */
export function textureScene(size: number, image: Canvas, tone: Rgb, border: number): Scene {
  const surface = new Uint8Array(size * size);
  const surfacePixels: number[] = [];
  const b = Math.ceil(border);
  for (let y = b; y < size - b; y++) {
    for (let x = b; x < size - b; x++) {
      surface[y * size + x] = 1;
      surfacePixels.push(y * size + x);
    }
  }
  return { size, scale: size / DESIGN_SIZE, image, background: image, surface, surfacePixels, centre: { x: size / 2, y: size / 2 }, tone };
}

/** A background: a base colour with smooth blotches and a linear light gradient. */
export function backdrop(rng: Random, size: number, base: Rgb, variation: number): Canvas {
  const noise = smoothNoise(rng, size, size, size / 4);
  const gx = rng.uniform(-1, 1);
  const gy = rng.uniform(-1, 1);
  const image: Canvas = { width: size, height: size, data: new Float32Array(size * size * 3) };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const shade = noise[i] * variation + ((gx * (x - size / 2) + gy * (y - size / 2)) / size) * variation;
      image.data[i * 3] = base[0] + shade;
      image.data[i * 3 + 1] = base[1] + shade;
      image.data[i * 3 + 2] = base[2] + shade;
    }
  }
  return image;
}
