// The stage under the pointer: each tool's press, drag and release, panning (the middle button, or
// Alt with the select tool), zooming with the wheel about the pointer, and the brush cursor at its
// true size on screen.
import { cursor, stage, viewport } from './page';
import { select } from './regionPanel';
import { ui } from './settings';
import { model, state } from './shownDocument';
import { fillAt } from './tools/fill';
import type { Point } from './tools/pixels';
import { addVertex, closePolygon } from './tools/polygon';
import { endStroke, extendStroke, startStroke, strokeInProgress } from './tools/stroke';

let panning: { x: number; y: number } | undefined;

function stagePoint(e: PointerEvent | WheelEvent): { x: number; y: number } {
  const box = stage.getBoundingClientRect();
  return { x: e.clientX - box.left, y: e.clientY - box.top };
}

function imagePoint(e: PointerEvent): Point {
  const s = stagePoint(e);
  return viewport.toImage(s.x, s.y);
}

function pixelIndex(p: Point): number | undefined {
  if (!model) return undefined;
  const x = Math.floor(p.x);
  const y = Math.floor(p.y);
  return x >= 0 && y >= 0 && x < model.width && y < model.height ? y * model.width + x : undefined;
}

function pointerDown(e: PointerEvent): void {
  if (!model) return;
  stage.setPointerCapture(e.pointerId);
  if (e.button === 1 || (e.button === 0 && e.altKey && ui.tool === 'select')) {
    panning = { x: e.clientX, y: e.clientY };
    return;
  }
  if (e.button !== 0) return;
  const p = imagePoint(e);
  const index = pixelIndex(p);
  switch (ui.tool) {
    case 'select':
      select(index !== undefined && model.labels[index] !== 0 ? model.labels[index] : undefined, e.shiftKey);
      break;
    case 'brush':
    case 'eraser':
      startStroke(p, ui.tool === 'eraser');
      break;
    case 'polygon':
      addVertex(p);
      break;
    case 'fill':
    case 'wand':
      if (index !== undefined) fillAt(index, ui.tool, e.altKey);
      break;
  }
}

function pointerMove(e: PointerEvent): void {
  moveCursor(e);
  if (panning) {
    viewport.panBy(e.clientX - panning.x, e.clientY - panning.y);
    panning = { x: e.clientX, y: e.clientY };
    return;
  }
  if (strokeInProgress()) extendStroke(imagePoint(e));
}

function pointerUp(): void {
  panning = undefined;
  endStroke();
}

export function listenToStage(): void {
  stage.addEventListener('pointerdown', pointerDown);
  stage.addEventListener('pointermove', pointerMove);
  stage.addEventListener('pointerup', pointerUp);
  stage.addEventListener('pointercancel', pointerUp);
  stage.addEventListener('dblclick', () => closePolygon());
  stage.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const s = stagePoint(e);
      viewport.zoomAt(Math.exp(-e.deltaY * 0.0015), s.x, s.y);
      updateCursor();
    },
    { passive: false },
  );
}

/** Zooms about the stage's centre. */
export function zoomAtCentre(factor: number): void {
  viewport.zoomAt(factor, stage.clientWidth / 2, stage.clientHeight / 2);
  updateCursor();
}

/** Fits the whole image into the stage. */
export function fitImage(): void {
  if (state) viewport.fit(state.width, state.height, stage.clientWidth, stage.clientHeight);
  updateCursor();
}

function moveCursor(e: PointerEvent): void {
  const s = stagePoint(e);
  cursor.style.left = `${s.x}px`;
  cursor.style.top = `${s.y}px`;
}

/** The brush cursor at its true size on screen. */
export function updateCursor(): void {
  const size = ui.tool === 'brush' || ui.tool === 'eraser' ? ui.brush * viewport.scale : 0;
  cursor.style.width = `${size}px`;
  cursor.style.height = `${size}px`;
  cursor.style.display = size > 0 ? 'block' : 'none';
}
