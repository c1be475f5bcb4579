// The brush and the eraser: a stroke shows its pixels at once (as a preview) and becomes one edit
// when the pointer is released: paint into the selected region, a new region when none is
// selected; the eraser clears the selected region's pixels, or any region's when none is selected.
import { proposeLater, proposeNew } from '../edits';
import { rectOf } from '../overlay';
import { ui } from '../settings';
import { model, overlay, preview, targetRegion } from '../shownDocument';
import { type Point, strokePixels } from './pixels';

let stroke: { points: Point[]; erase: boolean; region?: number; pixels: Set<number> } | undefined;

/** A stroke is being drawn (the host's edits arriving meanwhile leave its preview alone). */
export function strokeInProgress(): boolean {
  return stroke !== undefined;
}

export function startStroke(p: Point, erase: boolean): void {
  if (!model) return;
  const region = targetRegion();
  stroke = { points: [p], erase, ...(region !== undefined ? { region } : {}), pixels: new Set() };
  showStroke(strokePixels([p], ui.brush, model.width, model.height), region ?? model.nextId());
}

export function extendStroke(p: Point): void {
  if (!stroke || !model) return;
  const last = stroke.points[stroke.points.length - 1];
  stroke.points.push(p);
  showStroke(strokePixels([last, p], ui.brush, model.width, model.height), stroke.region ?? model.nextId());
}

export function endStroke(): void {
  if (!stroke || !model) return;
  const pixels = [...stroke.pixels];
  const { erase, region } = stroke;
  const m = model;
  stroke = undefined;
  if (!erase && region === undefined) proposeNew(() => pixels, 'paint');
  else proposeLater(() => (erase ? m.erase(pixels, region) : m.paint(region as number, pixels)));
}

function showStroke(pixels: Uint32Array, label: number): void {
  if (!model || !overlay || !stroke) return;
  const changed: number[] = [];
  for (const i of pixels) {
    if (stroke.pixels.has(i)) continue;
    stroke.pixels.add(i);
    if (stroke.erase) {
      if (model.labels[i] !== 0 && (stroke.region === undefined || model.labels[i] === stroke.region)) {
        preview.set(i, 0);
        changed.push(i);
      }
    } else {
      preview.set(i, label);
      changed.push(i);
    }
  }
  const rect = rectOf(changed, model.width);
  if (rect) overlay.redraw(rect);
}
