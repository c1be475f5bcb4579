// The regions drawn over the image: one RGBA pixel per image pixel, each region in its own
// colour with a darker outline, redrawn only inside the rectangle an edit touched (a stroke
// costs its own pixels, not the image's).  A full redraw covers only the tiles that have ever
// held a region, so opening a large image with small regions colours little of it.
import { regionColour } from '../../server/masks/regionColour';

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function rectOf(indices: ArrayLike<number>, width: number): Rect | undefined {
  if (indices.length === 0) return undefined;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    const x = i % width;
    const y = (i - x) / width;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return { x0, y0, x1, y1 };
}

/** Side of the square tiles the overlay keeps track of, in image pixels. */
export const TILE = 64;

/**
 * For each tile of `width`-wide labels (row by row), whether it holds a non-zero label; zeros
 * are passed over four at a time (+0, or -0 when the last of the four is 0x8000, which that
 * label tells apart).
 */
export function labelledTiles(labels: Uint16Array, width: number): Uint8Array {
  const height = labels.length / width;
  const across = Math.ceil(width / TILE);
  const tiles = new Uint8Array(across * Math.ceil(height / TILE));
  const words = labels.byteOffset % 8 === 0 ? new Float64Array(labels.buffer, labels.byteOffset, labels.length >> 2) : undefined;
  let i = 0;
  while (i < labels.length) {
    if (words && i % 4 === 0 && i + 4 <= labels.length && words[i >> 2] === 0 && labels[i + 3] === 0) {
      i += 4;
      continue;
    }
    if (labels[i] !== 0) {
      const x = i % width;
      tiles[Math.floor((i - x) / width / TILE) * across + Math.floor(x / TILE)] = 1;
    }
    i++;
  }
  return tiles;
}

export class Overlay {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly across: number;
  /** Tiles that may hold colour: those with a region when the overlay was made, and every tile a redraw touched since. */
  private readonly painted: Uint8Array;
  opacity = 0.45;
  hidden = new Set<number>();
  allHidden = false;
  selected = new Set<number>();

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly width: number,
    readonly height: number,
    /** The label of each pixel as it should be shown now (model, or model plus a preview). */
    private readonly labelAt: (i: number) => number,
    /** The labels as they are now, for where the first full drawing has to colour (else everywhere). */
    labels?: Uint16Array,
  ) {
    canvas.width = width;
    canvas.height = height;
    this.ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    this.across = Math.ceil(width / TILE);
    this.painted = labels ? labelledTiles(labels, width) : new Uint8Array(this.across * Math.ceil(height / TILE)).fill(1);
  }

  /** Redraws every tile that may hold colour (a region, or a region there was). */
  redrawAll(): void {
    const across = this.across;
    for (let t = 0; t < this.painted.length; t++) {
      if (!this.painted[t]) continue;
      const x0 = (t % across) * TILE;
      const y0 = Math.floor(t / across) * TILE;
      this.paint(x0, y0, Math.min(this.width, x0 + TILE) - 1, Math.min(this.height, y0 + TILE) - 1);
    }
  }

  /** Recolours the pixels of `rect` and their outline neighbours, then puts only that part on the canvas. */
  redraw(rect: Rect): void {
    const x0 = Math.max(0, rect.x0 - 1);
    const y0 = Math.max(0, rect.y0 - 1);
    const x1 = Math.min(this.width - 1, rect.x1 + 1);
    const y1 = Math.min(this.height - 1, rect.y1 + 1);
    if (x1 < x0 || y1 < y0) return;
    for (let ty = Math.floor(y0 / TILE); ty <= Math.floor(y1 / TILE); ty++) {
      for (let tx = Math.floor(x0 / TILE); tx <= Math.floor(x1 / TILE); tx++) this.painted[ty * this.across + tx] = 1;
    }
    this.paint(x0, y0, x1, y1);
  }

  private paint(x0: number, y0: number, x1: number, y1: number): void {
    const { width, height } = this;
    const w = x1 - x0 + 1;
    const part = this.ctx.createImageData(w, y1 - y0 + 1);
    const data = part.data;
    const fill = Math.round(this.opacity * 255);
    const edge = Math.min(255, fill + 110);
    const labelAt = this.labelAt;
    let colourOf = -1;
    let colour: [number, number, number] = [0, 0, 0];
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const i = y * width + x;
        const id = labelAt(i);
        if (id === 0 || this.allHidden || this.hidden.has(id)) continue;
        const o = ((y - y0) * w + (x - x0)) * 4;
        const outline =
          x === 0 || y === 0 || x === width - 1 || y === height - 1 ||
          labelAt(i - 1) !== id || labelAt(i + 1) !== id || labelAt(i - width) !== id || labelAt(i + width) !== id;
        if (id !== colourOf) {
          colour = regionColour(id);
          colourOf = id;
        }
        const [r, g, b] = colour;
        const strong = outline || this.selected.has(id);
        const k = outline ? 0.6 : 1;
        data[o] = Math.round(r * k);
        data[o + 1] = Math.round(g * k);
        data[o + 2] = Math.round(b * k);
        data[o + 3] = strong ? (outline ? edge : Math.min(255, fill + 40)) : fill;
      }
    }
    this.ctx.putImageData(part, x0, y0);
  }
}
