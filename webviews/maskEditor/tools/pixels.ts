// The pixels each drawing tool selects, as indices y * width + x: a brush or eraser stroke (discs
// along a polyline), a polygon, a flood fill over the label map and a magic wand over the
// image's colours.  Pure functions: the webview turns their output into edits.

export interface Point {
  x: number;
  y: number;
}

/** Pixels whose centre lies within `radius` of the segment a–b. */
function segmentDisc(a: Point, b: Point, radius: number, width: number, height: number, out: Set<number>): void {
  const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - radius));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(a.x, b.x) + radius));
  const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - radius));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(a.y, b.y) + radius));
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  const r2 = radius * radius;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / length2));
      const cx = a.x + t * dx - px;
      const cy = a.y + t * dy - py;
      if (cx * cx + cy * cy <= r2) out.add(y * width + x);
    }
  }
}

/**
 * A stroke of a round brush of `diameter` pixels through `points` (image coordinates, pixel
 * centres at +0.5).  A 1-pixel brush paints exactly the pixels under the points' path.
 */
export function strokePixels(points: readonly Point[], diameter: number, width: number, height: number): Uint32Array {
  const out = new Set<number>();
  const radius = Math.max(0.5, diameter / 2);
  if (points.length === 1) segmentDisc(points[0], points[0], radius, width, height, out);
  for (let k = 1; k < points.length; k++) segmentDisc(points[k - 1], points[k], radius, width, height, out);
  return Uint32Array.from([...out].sort((a, b) => a - b));
}

/** Pixels whose centre lies inside the polygon (even-odd rule; a centre on a left edge counts, on a right edge not), by scanlines. */
export function polygonPixels(vertices: readonly Point[], width: number, height: number): Uint32Array {
  const out: number[] = [];
  if (vertices.length < 3) return new Uint32Array();
  const ys = vertices.map((v) => v.y);
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)));
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5;
    const xs: number[] = [];
    for (let k = 0; k < vertices.length; k++) {
      const a = vertices[k];
      const b = vertices[(k + 1) % vertices.length];
      if ((a.y <= cy && b.y > cy) || (b.y <= cy && a.y > cy)) xs.push(a.x + ((cy - a.y) / (b.y - a.y)) * (b.x - a.x));
    }
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil(xs[k] - 0.5));
      const to = Math.min(width - 1, Math.ceil(xs[k + 1] - 0.5) - 1);
      for (let x = from; x <= to; x++) out.push(y * width + x);
    }
  }
  return Uint32Array.from(out.sort((a, b) => a - b));
}

/** The 4-connected area around `seed` whose pixels pass `same` (seed included when it passes). */
function grow(seed: number, width: number, height: number, same: (i: number) => boolean): Uint32Array {
  if (seed < 0 || seed >= width * height || !same(seed)) return new Uint32Array();
  const seen = new Uint8Array(width * height);
  const stack = [seed];
  seen[seed] = 1;
  const out: number[] = [];
  while (stack.length > 0) {
    const i = stack.pop() as number;
    out.push(i);
    const x = i % width;
    const next = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width];
    for (const j of next) {
      if (j < 0 || j >= width * height || seen[j]) continue;
      seen[j] = 1;
      if (same(j)) stack.push(j);
    }
  }
  return Uint32Array.from(out.sort((a, b) => a - b));
}

/** Flood fill: the 4-connected pixels around `seed` with the seed's label (region id or background). */
export function floodFillPixels(labels: ArrayLike<number>, width: number, height: number, seed: number): Uint32Array {
  const value = labels[seed];
  return grow(seed, width, height, (i) => labels[i] === value);
}

/**
 * Magic wand: the 4-connected pixels around `seed` whose colour differs from the seed's by at
 * most `tolerance` in every channel (0–255), read from RGBA bytes.
 */
export function magicWandPixels(rgba: ArrayLike<number>, width: number, height: number, seed: number, tolerance: number): Uint32Array {
  const r = rgba[seed * 4];
  const g = rgba[seed * 4 + 1];
  const b = rgba[seed * 4 + 2];
  return grow(seed, width, height, (i) => Math.abs(rgba[i * 4] - r) <= tolerance && Math.abs(rgba[i * 4 + 1] - g) <= tolerance && Math.abs(rgba[i * 4 + 2] - b) <= tolerance);
}
