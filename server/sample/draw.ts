// Pure raster drawing for the sample dataset: shapes as signed distance functions
// (negative inside, in pixels), painted with anti-aliased edges onto a float RGB canvas.
import type { Random } from './random';

export type Rgb = readonly [number, number, number];

/** An RGB image, row-major, channel values 0..255 (unclamped while drawing). */
export interface Canvas {
  width: number;
  height: number;
  data: Float32Array;
}

export interface Point {
  x: number;
  y: number;
}

/** A shape: its signed distance at pixel centre (x, y) and a box that holds its inside. */
export interface Shape {
  /** Inclusive bounds of the points where sdf <= 0 (may exceed the canvas). */
  box: Box;
  sdf(x: number, y: number): number;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function createCanvas(width: number, height: number, fill: Rgb = [0, 0, 0]): Canvas {
  const data = new Float32Array(width * height * 3);
  if (fill[0] !== 0 || fill[1] !== 0 || fill[2] !== 0) {
    for (let i = 0; i < data.length; i += 3) {
      data[i] = fill[0];
      data[i + 1] = fill[1];
      data[i + 2] = fill[2];
    }
  }
  return { width, height, data };
}

export function cloneCanvas(canvas: Canvas): Canvas {
  return { width: canvas.width, height: canvas.height, data: new Float32Array(canvas.data) };
}

export function getPixel(canvas: Canvas, x: number, y: number): [number, number, number] {
  const i = (y * canvas.width + x) * 3;
  return [canvas.data[i], canvas.data[i + 1], canvas.data[i + 2]];
}

/** Mixes `colour` into pixel `index` (y*width+x) with weight `alpha` in [0, 1]. */
export function blendPixel(canvas: Canvas, index: number, colour: Rgb, alpha: number): void {
  const i = index * 3;
  const d = canvas.data;
  d[i] += (colour[0] - d[i]) * alpha;
  d[i + 1] += (colour[1] - d[i + 1]) * alpha;
  d[i + 2] += (colour[2] - d[i + 2]) * alpha;
}

/** Euclidean length of (x, y) (Math.hypot is several times slower). */
export function length(x: number, y: number): number {
  return Math.sqrt(x * x + y * y);
}

// ---- shapes ----------------------------------------------------------------------------

function box(x0: number, y0: number, x1: number, y1: number): Box {
  return { x0: Math.floor(x0), y0: Math.floor(y0), x1: Math.ceil(x1), y1: Math.ceil(y1) };
}

export function disc(cx: number, cy: number, r: number): Shape {
  return { box: box(cx - r, cy - r, cx + r, cy + r), sdf: (x, y) => length(x - cx, y - cy) - r };
}

/** Ring between radii `inner` and `outer`. */
export function annulus(cx: number, cy: number, inner: number, outer: number): Shape {
  return {
    box: box(cx - outer, cy - outer, cx + outer, cy + outer),
    sdf: (x, y) => {
      const d = length(x - cx, y - cy);
      return Math.max(d - outer, inner - d);
    },
  };
}

/** Rotated rectangle with half sizes hw, hh and corner radius. */
export function roundedRect(cx: number, cy: number, hw: number, hh: number, radius: number, angle: number): Shape {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const r = length(hw, hh);
  return {
    box: box(cx - r, cy - r, cx + r, cy + r),
    sdf: (x, y) => {
      const dx = x - cx;
      const dy = y - cy;
      const u = Math.abs(dx * c + dy * s) - (hw - radius);
      const v = Math.abs(-dx * s + dy * c) - (hh - radius);
      const outside = length(Math.max(u, 0), Math.max(v, 0));
      return outside + Math.min(Math.max(u, v), 0) - radius;
    },
  };
}

function segmentDistance(px: number, py: number, a: Point, b: Point): number {
  const vx = b.x - a.x;
  const vy = b.y - a.y;
  const len2 = vx * vx + vy * vy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * vx + (py - a.y) * vy) / len2));
  return length(px - (a.x + t * vx), py - (a.y + t * vy));
}

/** A stroke of half width `halfWidth` along the points (round joins and caps). */
export function polyline(points: readonly Point[], halfWidth: number): Shape {
  if (points.length === 0) throw new Error('polyline needs a point');
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  return {
    box: box(Math.min(...xs) - halfWidth, Math.min(...ys) - halfWidth, Math.max(...xs) + halfWidth, Math.max(...ys) + halfWidth),
    sdf: (x, y) => {
      let d = Infinity;
      if (points.length === 1) d = length(x - points[0].x, y - points[0].y);
      for (let i = 1; i < points.length; i++) d = Math.min(d, segmentDistance(x, y, points[i - 1], points[i]));
      return d - halfWidth;
    },
  };
}

/** A filled simple polygon (even–odd rule), exact distance to its edges. */
export function polygon(points: readonly Point[]): Shape {
  if (points.length < 3) throw new Error('polygon needs three points');
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  return {
    box: box(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)),
    sdf: (x, y) => {
      let d = Infinity;
      let inside = false;
      for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
        const a = points[i];
        const b = points[j];
        d = Math.min(d, segmentDistance(x, y, a, b));
        if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
      }
      return inside ? -d : d;
    },
  };
}

export interface Harmonic {
  k: number;
  amplitude: number;
  phase: number;
}

/** A star-shaped blob: radius r·(1 + Σ a·sin(kθ + φ)) around the centre. */
export function blob(cx: number, cy: number, r: number, harmonics: readonly Harmonic[]): Shape {
  const reach = r * (1 + harmonics.reduce((s, h) => s + Math.abs(h.amplitude), 0));
  return {
    box: box(cx - reach, cy - reach, cx + reach, cy + reach),
    sdf: (x, y) => {
      const dx = x - cx;
      const dy = y - cy;
      const theta = Math.atan2(dy, dx);
      let radius = 1;
      for (const h of harmonics) radius += h.amplitude * Math.sin(h.k * theta + h.phase);
      return length(dx, dy) - r * radius;
    },
  };
}

/** Random smooth harmonics for a blob; total amplitude stays below `roughness`. */
export function randomHarmonics(rng: Random, count: number, roughness: number): Harmonic[] {
  const out: Harmonic[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ k: i + 2, amplitude: (rng.uniform(0.3, 1) * roughness) / count, phase: rng.uniform(0, 2 * Math.PI) });
  }
  return out;
}

export function union(...shapes: Shape[]): Shape {
  return {
    box: box(
      Math.min(...shapes.map((s) => s.box.x0)),
      Math.min(...shapes.map((s) => s.box.y0)),
      Math.max(...shapes.map((s) => s.box.x1)),
      Math.max(...shapes.map((s) => s.box.y1)),
    ),
    sdf: (x, y) => {
      let d = Infinity;
      for (const s of shapes) d = Math.min(d, s.sdf(x, y));
      return d;
    },
  };
}

export function intersect(a: Shape, b: Shape): Shape {
  return {
    box: { x0: Math.max(a.box.x0, b.box.x0), y0: Math.max(a.box.y0, b.box.y0), x1: Math.min(a.box.x1, b.box.x1), y1: Math.min(a.box.y1, b.box.y1) },
    sdf: (x, y) => Math.max(a.sdf(x, y), b.sdf(x, y)),
  };
}

export function subtract(a: Shape, b: Shape): Shape {
  return { box: a.box, sdf: (x, y) => Math.max(a.sdf(x, y), -b.sdf(x, y)) };
}

// ---- rasterising -----------------------------------------------------------------------

/**
 * Calls `fn` for each canvas pixel whose signed distance is at most `margin`, with that
 * distance; pixels outside the canvas are skipped.
 */
export function forEachPixel(shape: Shape, width: number, height: number, margin: number, fn: (x: number, y: number, d: number) => void): void {
  const grow = Math.ceil(Math.max(0, margin)) + 1;
  const x0 = Math.max(0, shape.box.x0 - grow);
  const y0 = Math.max(0, shape.box.y0 - grow);
  const x1 = Math.min(width - 1, shape.box.x1 + grow);
  const y1 = Math.min(height - 1, shape.box.y1 + grow);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d = shape.sdf(x, y);
      if (d <= margin) fn(x, y, d);
    }
  }
}

/** Edge coverage of a pixel at signed distance d, with an edge `softness` pixels wide. */
export function coverage(d: number, softness = 1): number {
  return Math.max(0, Math.min(1, 0.5 - d / softness));
}

export interface FillOptions {
  opacity?: number;
  /** Width of the anti-aliased edge in pixels (larger = softer). */
  softness?: number;
}

/** Paints a shape with a colour, or with a colour computed per pixel. */
export function fillShape(canvas: Canvas, shape: Shape, colour: Rgb | ((x: number, y: number) => Rgb), options: FillOptions = {}): void {
  const opacity = options.opacity ?? 1;
  const softness = options.softness ?? 1;
  forEachPixel(shape, canvas.width, canvas.height, softness / 2, (x, y, d) => {
    const alpha = coverage(d, softness) * opacity;
    if (alpha <= 0) return;
    blendPixel(canvas, y * canvas.width + x, typeof colour === 'function' ? colour(x, y) : colour, alpha);
  });
}

/** Copies `source` into `target` where the shape is, with anti-aliased edges. */
export function copyShape(target: Canvas, source: Canvas, shape: Shape, softness = 1): void {
  forEachPixel(shape, target.width, target.height, softness / 2, (x, y, d) => {
    const alpha = coverage(d, softness);
    if (alpha > 0) blendPixel(target, y * target.width + x, getPixel(source, x, y), alpha);
  });
}

/** The sorted pixel indices (y*width+x) where the shape's distance is at most `margin`. */
export function shapePixels(shape: Shape, width: number, height: number, margin = 0): number[] {
  const out: number[] = [];
  forEachPixel(shape, width, height, margin, (x, y) => out.push(y * width + x));
  return out;
}

/** A 0/1 mask of the shape's inside (distance at most `margin`). */
export function shapeMask(shape: Shape, width: number, height: number, margin = 0): Uint8Array {
  const mask = new Uint8Array(width * height);
  forEachPixel(shape, width, height, margin, (x, y) => {
    mask[y * width + x] = 1;
  });
  return mask;
}

// ---- whole-canvas effects --------------------------------------------------------------

/** Standard deviation of the sum of four independent uniform bytes. */
const IRWIN_HALL_4_SD = Math.sqrt((4 * (256 * 256 - 1)) / 12);

export interface CameraEffects {
  /** v' = (v - 128)·contrast + 128 + offset[channel] */
  contrast: number;
  offset: Rgb;
  /** Standard deviation of the brightness noise added to each pixel. */
  noise: number;
}

/**
 * The canvas as packed 8-bit RGB after a brightness/contrast/tint change and nearly
 * Gaussian sensor noise on each pixel's brightness: the sum of the four bytes of one random
 * word (Irwin–Hall, n = 4), far cheaper than Box–Muller for a whole image.
 */
export function developImage(canvas: Canvas, effects: CameraEffects, rng: Random): Uint8Array {
  const d = canvas.data;
  const pixels = d.length / 3;
  const words = new Uint32Array(pixels);
  rng.fillUint32(words);
  const out = new Uint8ClampedArray(d.length);
  const scale = effects.noise / IRWIN_HALL_4_SD;
  const k = effects.contrast;
  const [o0, o1, o2] = effects.offset.map((o) => 128 - 128 * k + o);
  for (let p = 0, i = 0; p < pixels; p++, i += 3) {
    const w = words[p];
    const n = ((w & 255) + ((w >>> 8) & 255) + ((w >>> 16) & 255) + (w >>> 24) - 510) * scale;
    out[i] = d[i] * k + o0 + n;
    out[i + 1] = d[i + 1] * k + o1 + n;
    out[i + 2] = d[i + 2] * k + o2 + n;
  }
  return new Uint8Array(out.buffer);
}

export function mixRgb(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** A colour around `base` with each channel moved by up to ±`spread`. */
export function jitterRgb(rng: Random, base: Rgb, spread: number): Rgb {
  return [base[0] + rng.uniform(-spread, spread), base[1] + rng.uniform(-spread, spread), base[2] + rng.uniform(-spread, spread)];
}

/**
 * Smooth value noise in [-1, 1] over a width×height grid: random values on a lattice of
 * `cell`-pixel squares, interpolated with a smoothstep.
 */
export function smoothNoise(rng: Random, width: number, height: number, cell: number): Float32Array {
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const lattice = new Float32Array(gw * gh);
  for (let i = 0; i < lattice.length; i++) lattice[i] = rng.uniform(-1, 1);
  const out = new Float32Array(width * height);
  const smooth = (t: number): number => t * t * (3 - 2 * t);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const iy = Math.floor(gy);
    const ty = smooth(gy - iy);
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const ix = Math.floor(gx);
      const tx = smooth(gx - ix);
      const a = lattice[iy * gw + ix];
      const b = lattice[iy * gw + ix + 1];
      const c = lattice[(iy + 1) * gw + ix];
      const d = lattice[(iy + 1) * gw + ix + 1];
      out[y * width + x] = (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty;
    }
  }
  return out;
}
