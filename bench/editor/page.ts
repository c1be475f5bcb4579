// The mask editor's drawing code in the browser, for bench/editor.bench.ts: strokes redrawn per
// dirty rectangle (what the editor does) against a full redraw per pointer event (the naive way),
// opening a 4000x4000 image with its regions, and panning it.
import { MaskModel } from '../../server/editor/maskDocument/maskModel';
import { Overlay, rectOf } from '../../webviews/maskEditor/overlay';
import { Viewport } from '../../webviews/maskEditor/viewport';
import { strokePixels, type Point } from '../../webviews/maskEditor/tools/pixels';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const frame = () => new Promise<number>((r) => requestAnimationFrame(r));

/**
 * A stroke drawn with real pointer input (the bench moves the mouse through the browser's input
 * pipeline): each pointermove paints the segment since the last one; its latency runs from the
 * event's time stamp to the frame that shows it (the next animation frame after the handler).
 */
function installStroke(mode: 'incremental' | 'full', size: number, brush: number): void {
  document.body.replaceChildren();
  document.body.style.margin = '0';
  const canvas = document.createElement('canvas');
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  document.body.append(canvas);
  const model = new MaskModel(size, size);
  const preview = new Map<number, number>();
  const overlay = new Overlay(canvas, size, size, (i) => preview.get(i) ?? model.labels[i]);
  overlay.redrawAll();
  const latencies: number[] = [];
  const work: number[] = [];
  let last: Point | undefined;
  canvas.addEventListener('pointermove', (e) => {
    const started = performance.now();
    const p = { x: e.offsetX, y: e.offsetY };
    const changed: number[] = [];
    for (const i of strokePixels([last ?? p, p], brush, size, size)) {
      if (!preview.has(i)) {
        preview.set(i, 1);
        changed.push(i);
      }
    }
    last = p;
    if (mode === 'incremental') {
      const rect = rectOf(changed, size);
      if (rect) overlay.redraw(rect);
    } else overlay.redrawAll();
    work.push(performance.now() - started);
    requestAnimationFrame(() => latencies.push(performance.now() - e.timeStamp));
  });
  Object.assign(window, { strokeResult: () => ({ p50: percentile(latencies, 50), p95: percentile(latencies, 95), work95: percentile(work, 95), events: latencies.length }) });
}

/** Opens a size x size PNG with `regions` square regions: decode, model, overlay. */
async function open(size: number, regions: number): Promise<number> {
  document.body.replaceChildren();
  const source = new OffscreenCanvas(size, size);
  const sctx = source.getContext('2d') as OffscreenCanvasRenderingContext2D;
  const gradient = sctx.createLinearGradient(0, 0, size, size);
  gradient.addColorStop(0, '#884422');
  gradient.addColorStop(1, '#2266aa');
  sctx.fillStyle = gradient;
  sctx.fillRect(0, 0, size, size);
  const blob = await source.convertToBlob({ type: 'image/png' });
  const labels = new Uint16Array(size * size);
  for (let r = 1; r <= regions; r++) {
    const x0 = Math.floor((r * size) / (regions + 2));
    for (let y = x0; y < x0 + size / 20; y++) for (let x = x0; x < x0 + size / 20; x++) labels[y * size + x] = r;
  }
  const t0 = performance.now();
  const bitmap = await createImageBitmap(blob);
  const image = document.createElement('canvas');
  image.width = size;
  image.height = size;
  (image.getContext('2d') as CanvasRenderingContext2D).drawImage(bitmap, 0, 0);
  const model = new MaskModel(size, size, labels, Array.from({ length: regions }, (_, k) => ({ id: k + 1, defect: 'x', description: 'x' })));
  const canvas = document.createElement('canvas');
  document.body.append(image, canvas);
  new Overlay(canvas, size, size, (i) => model.labels[i]).redrawAll();
  await frame();
  return performance.now() - t0;
}

/** Pans the open image for `frames` frames; the long tasks (over 50 ms) the browser saw meanwhile. */
async function pan(frames: number): Promise<{ longTasks: number; longest: number }> {
  const layers = document.body;
  const viewport = new Viewport((t) => (layers.style.transform = t));
  const seen: number[] = [];
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => seen.push(e.duration)));
  observer.observe({ type: 'longtask', buffered: false });
  for (let k = 0; k < frames; k++) {
    viewport.panBy(Math.sin(k / 5) * 12, Math.cos(k / 7) * 9);
    await frame();
  }
  await frame();
  observer.disconnect();
  return { longTasks: seen.length, longest: seen.length ? Math.max(...seen) : 0 };
}

Object.assign(window, { bench: { installStroke, open, pan } });
