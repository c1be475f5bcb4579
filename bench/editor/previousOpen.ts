// The mask editor's previous way of opening an image, kept as the reference bench/editor.bench.ts
// measures the editor against in the same run: the whole label map as base64 of its uint16
// values (posted to the page as the host posted it), an overlay holding one RGBA pixel per image
// pixel coloured in full, and the image decoded by an <img>, drawn into a 2D canvas and read
// back whole for the magic wand, all on the page's thread; the layers moved without being a
// compositing layer of their own.
import { decodeLabels } from '../../server/editor/labelsCodec';
import { regionColour } from '../../server/masks/regionColour';
import { Viewport } from '../../webviews/maskEditor/viewport';

/** The previous overlay: a full-size image of the regions, every pixel coloured on a full redraw. */
class FullOverlay {
  readonly image: ImageData;
  private readonly ctx: CanvasRenderingContext2D;
  opacity = 0.45;

  constructor(
    canvas: HTMLCanvasElement,
    readonly width: number,
    readonly height: number,
    private readonly labelAt: (i: number) => number,
  ) {
    canvas.width = width;
    canvas.height = height;
    this.ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    this.image = this.ctx.createImageData(width, height);
  }

  redrawAll(): void {
    const { width, height } = this;
    const data = this.image.data;
    const fill = Math.round(this.opacity * 255);
    const edge = Math.min(255, fill + 110);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        const id = this.labelAt(i);
        const o = i * 4;
        if (id === 0) {
          data[o + 3] = 0;
          continue;
        }
        const outline =
          x === 0 || y === 0 || x === width - 1 || y === height - 1 ||
          this.labelAt(i - 1) !== id || this.labelAt(i + 1) !== id || this.labelAt(i - width) !== id || this.labelAt(i + width) !== id;
        const [r, g, b] = regionColour(id);
        const k = outline ? 0.6 : 1;
        data[o] = Math.round(r * k);
        data[o + 1] = Math.round(g * k);
        data[o + 2] = Math.round(b * k);
        data[o + 3] = outline ? edge : fill;
      }
    }
    this.ctx.putImageData(this.image, 0, 0, 0, 0, width, height);
  }
}

const frame = () => new Promise<number>((r) => requestAnimationFrame(r));

interface PreviousState {
  width: number;
  height: number;
  imageUri: string;
  labels: string;
}

/** Opens the image as the editor did: from the state's arrival to the image and regions on screen (ms). */
async function openPrevious(state: PreviousState): Promise<number> {
  document.body.replaceChildren();
  document.body.style.margin = '0';
  const stage = document.createElement('div');
  stage.style.cssText = 'position:relative;width:1000px;height:700px;overflow:hidden';
  const layers = document.createElement('div');
  layers.style.cssText = 'position:absolute;left:0;top:0;transform-origin:0 0';
  const imageCanvas = document.createElement('canvas');
  const overlayCanvas = document.createElement('canvas');
  for (const c of [imageCanvas, overlayCanvas]) c.style.cssText = 'position:absolute;left:0;top:0;image-rendering:pixelated';
  layers.append(imageCanvas, overlayCanvas);
  stage.append(layers);
  document.body.append(stage);
  const arrived = new Promise<{ state: PreviousState; at: number }>((resolve) =>
    window.addEventListener('message', (e) => resolve({ state: e.data as PreviousState, at: performance.now() }), { once: true }),
  );
  window.postMessage(state, '*');
  const { state: next, at } = await arrived;
  const labels = decodeLabels(next.labels, next.width * next.height);
  const overlay = new FullOverlay(overlayCanvas, next.width, next.height, (i) => labels[i]);
  overlay.redrawAll();
  await new Promise<void>((resolve) => {
    const img = new Image();
    img.onload = () => {
      imageCanvas.width = next.width;
      imageCanvas.height = next.height;
      const ctx = imageCanvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
      ctx.drawImage(img, 0, 0, next.width, next.height);
      ctx.getImageData(0, 0, next.width, next.height);
      resolve();
    };
    img.src = next.imageUri;
  });
  const viewport = new Viewport((t) => (layers.style.transform = t));
  viewport.fit(next.width, next.height, 1000, 700);
  // Panning as the editor's stage does it: a drag with the middle button.
  let last: { x: number; y: number } | undefined;
  stage.addEventListener('pointerdown', (e) => {
    if (e.button === 1) last = { x: e.clientX, y: e.clientY };
  });
  stage.addEventListener('pointermove', (e) => {
    if (!last) return;
    viewport.panBy(e.clientX - last.x, e.clientY - last.y);
    last = { x: e.clientX, y: e.clientY };
  });
  stage.addEventListener('pointerup', () => (last = undefined));
  await frame();
  return performance.now() - at;
}

Object.assign(window, { previous: { open: openPrevious } });
