// The polygon tool: each click adds a vertex, drawn over the image; Enter or a double click closes
// it into one edit (into the selected region, or a new region when none is selected), Escape drops it.
import { proposeLater, proposeNew } from '../edits';
import { polygonLayer, viewport } from '../page';
import { model, targetRegion } from '../shownDocument';
import { type Point, polygonPixels } from './pixels';

let polygon: Point[] = [];

export function addVertex(p: Point): void {
  polygon.push(p);
  drawPolygon();
}

export function closePolygon(): void {
  if (!model || polygon.length < 3) return;
  const region = targetRegion();
  const vertices = polygon;
  polygon = [];
  drawPolygon();
  const m = model;
  if (region === undefined) proposeNew(() => polygonPixels(vertices, m.width, m.height), 'polygon');
  else proposeLater(() => m.paint(region, polygonPixels(vertices, m.width, m.height), 'polygon'));
}

export function dropPolygon(): void {
  polygon = [];
  drawPolygon();
}

function drawPolygon(): void {
  const ctx = polygonLayer.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, polygonLayer.width, polygonLayer.height);
  if (polygon.length === 0) return;
  ctx.strokeStyle = 'rgb(255, 220, 0)';
  ctx.lineWidth = Math.max(1, 1.5 / viewport.scale);
  ctx.beginPath();
  polygon.forEach((p, k) => (k === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
  ctx.stroke();
}
