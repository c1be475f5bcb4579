// Zoom and pan of the image: screen = image × scale + offset.  Zooming keeps the image point under
// the cursor where it is, so one can zoom onto a single pixel.
export class Viewport {
  scale = 1;
  x = 0;
  y = 0;

  constructor(
    private readonly apply: (transform: string) => void,
    readonly minScale = 0.05,
    readonly maxScale = 64,
  ) {}

  private update(): void {
    this.apply(`translate(${this.x}px, ${this.y}px) scale(${this.scale})`);
  }

  /** Fits an image of width x height into a box of boxWidth x boxHeight. */
  fit(width: number, height: number, boxWidth: number, boxHeight: number): void {
    this.scale = Math.max(this.minScale, Math.min(this.maxScale, Math.min(boxWidth / width, boxHeight / height)));
    this.x = (boxWidth - width * this.scale) / 2;
    this.y = (boxHeight - height * this.scale) / 2;
    this.update();
  }

  /** The image coordinates under a point of the stage (pixel centres at +0.5). */
  toImage(stageX: number, stageY: number): { x: number; y: number } {
    return { x: (stageX - this.x) / this.scale, y: (stageY - this.y) / this.scale };
  }

  /** Multiplies the scale by `factor`, keeping the image point under (stageX, stageY) in place. */
  zoomAt(factor: number, stageX: number, stageY: number): void {
    const next = Math.max(this.minScale, Math.min(this.maxScale, this.scale * factor));
    const p = this.toImage(stageX, stageY);
    this.scale = next;
    this.x = stageX - p.x * next;
    this.y = stageY - p.y * next;
    this.update();
  }

  panBy(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
    this.update();
  }
}
