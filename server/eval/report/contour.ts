// Region outlines for the qualitative figure (paper Fig. 2: the region drawn as a white line).
import type { BinaryMask } from '../../model/resample';

/** A mask scaled to width x height: an output pixel is 1 when any source pixel under it is. */
export function maxPool(mask: BinaryMask, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const sx = mask.width / width;
  const sy = mask.height / height;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.max(y0 + 1, Math.ceil((y + 1) * sy));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * sx);
      const x1 = Math.max(x0 + 1, Math.ceil((x + 1) * sx));
      let on = 0;
      for (let v = y0; v < y1 && !on; v++) for (let u = x0; u < x1; u++) if (mask.data[v * mask.width + u]) { on = 1; break; }
      out[y * width + x] = on;
    }
  }
  return out;
}

/** Max over a window of radius r along rows (dx = 1) or columns (dx = 0). */
function maxAlong(mask: Uint8Array, width: number, height: number, r: number, horizontal: boolean): Uint8Array {
  const out = new Uint8Array(mask.length);
  const [length, step] = horizontal ? [width, 1] : [height, width];
  for (let i = 0; i < mask.length; i++) {
    const at = horizontal ? i % width : Math.floor(i / width);
    const from = i - Math.min(r, at) * step;
    const to = i + Math.min(r, length - 1 - at) * step;
    let on = 0;
    for (let j = from; j <= to && !on; j += step) on = mask[j];
    out[i] = on;
  }
  return out;
}

/** Max filter with a square window of radius r (separable). */
export function dilate(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  return maxAlong(maxAlong(mask, width, height, r, true), width, height, r, false);
}

/**
 * The pixels of a line `thickness` wide drawn just outside the region, so the region itself
 * stays visible; a region that leaves no room outside gets its inner border instead.
 */
export function outline(mask: Uint8Array, width: number, height: number, thickness: number): Uint8Array {
  const grown = dilate(mask, width, height, thickness);
  const ring = grown.map((on, i) => (on && !mask[i] ? 1 : 0));
  if (ring.some((v) => v)) return ring;
  const inverse = mask.map((on) => (on ? 0 : 1));
  const grownOutside = dilate(inverse, width, height, thickness);
  return mask.map((on, i) => (on && (grownOutside[i] || isBorder(i, width, height, thickness)) ? 1 : 0));
}

function isBorder(i: number, width: number, height: number, t: number): boolean {
  const x = i % width;
  const y = Math.floor(i / width);
  return x < t || y < t || x >= width - t || y >= height - t;
}
