// The mask editor's drawing code in the browser, for bench/editor.bench.ts: strokes redrawn per
// dirty rectangle (what the editor does) against a full redraw per pointer event (the naive way).
import { MaskModel } from '../../server/editor/maskDocument/maskModel';
import { Overlay, rectOf } from '../../webviews/maskEditor/overlay';
import { strokePixels, type Point } from '../../webviews/maskEditor/tools/pixels';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

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

Object.assign(window, { bench: { installStroke } });
