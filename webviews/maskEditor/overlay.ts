// The regions drawn over the image: one RGBA pixel per image pixel, each region in its own
// colour with a darker outline, redrawn only inside the rectangle an edit touched (a stroke
// costs its own pixels, not the image's).
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

export class Overlay {
  readonly image: ImageData;
  private readonly ctx: CanvasRenderingContext2D;
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
  ) {
    canvas.width = width;
    canvas.height = height;
    this.ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    this.image = this.ctx.createImageData(width, height);
  }

  redrawAll(): void {
    this.redraw({ x0: 0, y0: 0, x1: this.width - 1, y1: this.height - 1 });
  }

  /** Recolours the pixels of `rect` and their outline neighbours, then puts only that part on the canvas. */
  redraw(rect: Rect): void {
    const { width, height } = this;
    const x0 = Math.max(0, rect.x0 - 1);
    const y0 = Math.max(0, rect.y0 - 1);
    const x1 = Math.min(width - 1, rect.x1 + 1);
    const y1 = Math.min(height - 1, rect.y1 + 1);
    const data = this.image.data;
    const fill = Math.round(this.opacity * 255);
    const edge = Math.min(255, fill + 110);
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const i = y * width + x;
        const id = this.labelAt(i);
        const o = i * 4;
        if (id === 0 || this.allHidden || this.hidden.has(id)) {
          data[o + 3] = 0;
          continue;
        }
        const outline =
          x === 0 || y === 0 || x === width - 1 || y === height - 1 ||
          this.labelAt(i - 1) !== id || this.labelAt(i + 1) !== id || this.labelAt(i - width) !== id || this.labelAt(i + width) !== id;
        const [r, g, b] = regionColour(id);
        const strong = outline || this.selected.has(id);
        const k = outline ? 0.6 : 1;
        data[o] = Math.round(r * k);
        data[o + 1] = Math.round(g * k);
        data[o + 2] = Math.round(b * k);
        data[o + 3] = strong ? (outline ? edge : Math.min(255, fill + 40)) : fill;
      }
    }
    this.ctx.putImageData(this.image, 0, 0, x0, y0, x1 - x0 + 1, y1 - y0 + 1);
  }
}
