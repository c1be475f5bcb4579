// @pure: part of splitting a mask into regions (split.ts).
// Core points of DBSCAN: at least minPts points (itself included) at distance < eps.
import type { PixelRows } from './pixelRows';

/** Counting row by row: each disc row is a window of x that only moves right along a row. */
function markCoreByRows(shape: PixelRows, halfWidth: Int32Array, minPts: number): Uint8Array {
  const { rows, rowStart, xs } = shape;
  const n = shape.pixels.length;
  const radius = halfWidth.length - 1;
  const width = shape.right - shape.left + 1;
  const counts = new Int32Array(n);
  // Disc rows that span every pixel's x count as whole rows, from the row offsets.
  let wholeRows = 0;
  while (wholeRows <= radius && halfWidth[wholeRows] >= width - 1) wholeRows++;
  let longest = 0;
  for (let row = 0; row < rows; row++) longest = Math.max(longest, rowStart[row + 1] - rowStart[row]);
  const todo = new Int32Array(longest);
  for (let row = 0; row < rows; row++) {
    const begin = rowStart[row];
    const end = rowStart[row + 1];
    if (wholeRows > 0) {
      const from = row - wholeRows + 1;
      const to = row + wholeRows;
      counts.fill(rowStart[to < rows ? to : rows] - rowStart[from > 0 ? from : 0], begin, end);
    }
    // Nearest disc rows first; each further row only for the points still short of minPts.
    let pending = 0;
    for (let k = begin; k < end; k++) todo[pending++] = k;
    for (let d = wholeRows; d <= radius && pending > 0; d++) {
      const reach = halfWidth[d];
      for (let side = d === 0 ? 1 : 0; side < 2; side++) {
        const other = side === 0 ? row - d : row + d;
        if (other < 0 || other >= rows) continue;
        // The window [a, b) of the other row moves right with x.
        const otherEnd = rowStart[other + 1];
        let a = rowStart[other];
        let b = a;
        for (let t = 0; t < pending; t++) {
          const k = todo[t];
          const x = xs[k];
          while (a < otherEnd && xs[a] < x - reach) a++;
          if (b < a) b = a;
          while (b < otherEnd && xs[b] <= x + reach) b++;
          counts[k] += b - a;
        }
      }
      let still = 0;
      for (let t = 0; t < pending; t++) if (counts[todo[t]] < minPts) todo[still++] = todo[t];
      pending = still;
    }
  }
  const core = new Uint8Array(n);
  for (let k = 0; k < n; k++) if (counts[k] >= minPts) core[k] = 1;
  return core;
}

/**
 * Counting with the disc's pixel offsets, nearest first, on a bitmap of the pixels (padded by
 * the disc's half-width and height, so no bounds checks); a point stops as soon as it
 * reaches minPts.
 */
function markCoreByOffsets(shape: PixelRows, halfWidth: Int32Array, minPts: number): Uint8Array {
  const { rows, rowStart, xs, left } = shape;
  const n = shape.pixels.length;
  const padY = halfWidth.length - 1;
  const padX = halfWidth[0];
  const stride = shape.right - left + 1 + 2 * padX;
  const bitmap = new Uint8Array(stride * (rows + 2 * padY));
  const at = new Int32Array(n);
  for (let row = 0; row < rows; row++) {
    for (let k = rowStart[row]; k < rowStart[row + 1]; k++) {
      at[k] = (row + padY) * stride + xs[k] - left + padX;
      bitmap[at[k]] = 1;
    }
  }
  const offsets = discOffsets(halfWidth, stride);
  const core = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const base = at[k];
    let count = 0;
    for (let o = 0; o < offsets.length && count < minPts; o++) count += bitmap[base + offsets[o]];
    if (count >= minPts) core[k] = 1;
  }
  return core;
}

/** The disc's offsets in a grid of the given stride, nearest first. */
function discOffsets(halfWidth: Int32Array, stride: number): Int32Array {
  const cells: { dx: number; dy: number }[] = [];
  const radius = halfWidth.length - 1;
  for (let dy = -radius; dy <= radius; dy++) {
    const w = halfWidth[dy < 0 ? -dy : dy];
    for (let dx = -w; dx <= w; dx++) cells.push({ dx, dy });
  }
  cells.sort((a, b) => a.dx * a.dx + a.dy * a.dy - (b.dx * b.dx + b.dy * b.dy));
  return Int32Array.from(cells, ({ dx, dy }) => dy * stride + dx);
}

/** Offsets per point beyond which counting by rows is cheaper than by offsets. */
const OFFSETS_PER_DISC_ROW = 8;

export type CoreCounting = 'rows' | 'offsets';

/** Core flags per pixel of the shape; `counting` forces one method (both give the same flags). */
export function markCore(shape: PixelRows, halfWidth: Int32Array, minPts: number, counting?: CoreCounting): Uint8Array {
  const n = shape.pixels.length;
  if (minPts <= 1) return new Uint8Array(n).fill(1);
  if (counting) return counting === 'offsets' ? markCoreByOffsets(shape, halfWidth, minPts) : markCoreByRows(shape, halfWidth, minPts);
  const radius = halfWidth.length - 1;
  let discSize = 0;
  for (let d = 0; d <= radius; d++) discSize += (d === 0 ? 1 : 2) * (2 * halfWidth[d] + 1);
  const bitmapSize = (shape.right - shape.left + 1 + 2 * halfWidth[0]) * (shape.rows + 2 * radius);
  // The bitmap must stay in proportion to the pixels (a few far-apart pixels span a big box).
  const byOffsets = discSize <= OFFSETS_PER_DISC_ROW * (2 * radius + 1) && bitmapSize <= 64 * n + (1 << 20);
  return byOffsets ? markCoreByOffsets(shape, halfWidth, minPts) : markCoreByRows(shape, halfWidth, minPts);
}
