// @pure: a drawn region (shapeTypes.ts) as pixels: polygons filled by pixel centre with the
// even-odd rule, as pycocotools rasterises a COCO polygon; a region is the union of its parts.
import { rleToPixels } from './rle';
import type { ShapePart } from './shapeTypes';

/** Spans [from, to) of filled pixels per row. */
type RowSpans = Map<number, number[]>;

function addSpan(rows: RowSpans, y: number, from: number, to: number): void {
  if (to <= from) return;
  const spans = rows.get(y);
  if (spans) spans.push(from, to);
  else rows.set(y, [from, to]);
}

function fillPolygon(points: readonly number[], width: number, height: number, rows: RowSpans): void {
  const n = Math.floor(points.length / 2);
  if (n < 3) return;
  let top = Infinity;
  let bottom = -Infinity;
  for (let i = 0; i < n; i++) {
    top = Math.min(top, points[2 * i + 1]);
    bottom = Math.max(bottom, points[2 * i + 1]);
  }
  const firstRow = Math.max(0, Math.ceil(top - 0.5));
  const lastRow = Math.min(height - 1, Math.floor(bottom - 0.5));
  const crossings: number[] = [];
  for (let y = firstRow; y <= lastRow; y++) {
    const cy = y + 0.5;
    crossings.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const xi = points[2 * i];
      const yi = points[2 * i + 1];
      const xj = points[2 * j];
      const yj = points[2 * j + 1];
      if (yi <= cy !== yj <= cy) crossings.push(xi + ((cy - yi) * (xj - xi)) / (yj - yi));
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Pixel x is inside when its centre x + 0.5 lies in [left, right).
      const from = Math.max(0, Math.ceil(crossings[k] - 0.5));
      const to = Math.min(width, Math.ceil(crossings[k + 1] - 0.5));
      addSpan(rows, y, from, to);
    }
  }
}

function fillCircle(cx: number, cy: number, r: number, width: number, height: number, rows: RowSpans): void {
  if (!(r > 0)) return;
  const firstRow = Math.max(0, Math.ceil(cy - r - 0.5));
  const lastRow = Math.min(height - 1, Math.floor(cy + r - 0.5));
  for (let y = firstRow; y <= lastRow; y++) {
    const dy = y + 0.5 - cy;
    const half = Math.sqrt(Math.max(0, r * r - dy * dy));
    // Centres within [cx - half, cx + half].
    addSpan(rows, y, Math.max(0, Math.ceil(cx - half - 0.5)), Math.min(width, Math.floor(cx + half - 0.5) + 1));
  }
}

/** The pixel indices (y * width + x, ascending) of the union of the parts, clipped to the image. */
export function drawnPixels(parts: readonly ShapePart[], width: number, height: number): Uint32Array {
  const rows: RowSpans = new Map();
  const lists: Uint32Array[] = [];
  for (const part of parts) {
    if (part.kind === 'polygon') fillPolygon(part.points, width, height, rows);
    else if (part.kind === 'circle') fillCircle(part.cx, part.cy, part.r, width, height, rows);
    else lists.push(rleToPixels(part.counts, part.width, part.height));
  }
  for (const list of lists) for (const i of list) addSpan(rows, Math.floor(i / width), i % width, (i % width) + 1);
  const out: number[] = [];
  for (const y of [...rows.keys()].sort((a, b) => a - b)) {
    const spans = rows.get(y) as number[];
    const order = Array.from({ length: spans.length / 2 }, (_, k) => k).sort((a, b) => spans[2 * a] - spans[2 * b]);
    let reached = 0;
    for (const k of order) {
      const from = Math.max(spans[2 * k], reached);
      for (let x = from; x < spans[2 * k + 1]; x++) out.push(y * width + x);
      reached = Math.max(reached, spans[2 * k + 1]);
    }
  }
  return Uint32Array.from(out);
}

/** A rectangle [x, y, width, height] as a polygon part. */
export function rectanglePart(x: number, y: number, w: number, h: number): ShapePart {
  return { kind: 'polygon', points: [x, y, x + w, y, x + w, y + h, x, y + h] };
}
