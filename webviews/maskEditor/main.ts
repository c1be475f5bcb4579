// The mask editor webview: the image with its regions, the tools that draw them, the region list
// and the model's description of the designated region.  Edits are proposed to the host, which
// owns the document; the local model follows the host's edit events (so VS Code's Undo and Redo
// and the webview always agree).
import './style.css';
import { connect, el } from '../channel';
import { MaskModel } from '../../server/editor/maskDocument/maskModel';
import { decodeEdit, encodeEdit } from '../../server/editor/maskDocument/editCodec';
import type { MaskEdit, RegionMeta } from '../../server/editor/maskDocument/types';
import { findClass } from '../../server/editor/regionLabels';
import type { RegionClass } from '../../server/editor/regionsTypes';
import { regionColour } from '../../server/masks/regionColour';
import type { DescribeReply, EditorEvent, EditorRequest, EditorState } from './messages';
import { Overlay, rectOf } from './overlay';
import { Viewport } from './viewport';
import { floodFillPixels, magicWandPixels, polygonPixels, strokePixels, type Point } from './tools/pixels';

type Tool = 'select' | 'brush' | 'eraser' | 'polygon' | 'fill' | 'wand';

const TOOLS: { tool: Tool; key: string; title: string }[] = [
  { tool: 'select', key: 'v', title: 'Select' },
  { tool: 'brush', key: 'b', title: 'Brush' },
  { tool: 'eraser', key: 'e', title: 'Eraser' },
  { tool: 'polygon', key: 'p', title: 'Polygon' },
  { tool: 'fill', key: 'f', title: 'Fill' },
  { tool: 'wand', key: 'w', title: 'Magic wand' },
];

const SHORTCUTS: [string, string][] = [
  ['V B E P F W', 'select, brush, eraser, polygon, fill, magic wand'],
  ['[ ]', 'brush size smaller / larger'],
  ['N', 'the next stroke draws a new region'],
  ['M', 'merge the selected regions'],
  ['S', 'split the selected region (DBSCAN)'],
  ['Delete', 'delete the selected regions'],
  ['1 … 9', 'give the selected region the n-th description'],
  ['D', 'describe the selected region'],
  ['+ − 0', 'zoom in, out, fit'],
  ['arrows, middle drag', 'pan'],
  ['Ctrl+Z, Ctrl+Shift+Z', 'undo, redo'],
  ['Enter, Escape', 'close or drop the polygon'],
  ['?', 'this help'],
];

interface WebviewState {
  tool: Tool;
  brush: number;
  tolerance: number;
  opacity: number;
  describeWhileDrawing: boolean;
}

const channel = connect<EditorRequest, EditorEvent, WebviewState>((event) => onEvent(event));
const saved = channel.vscode.getState();
const ui: WebviewState = { tool: 'brush', brush: 9, tolerance: 24, opacity: 0.45, describeWhileDrawing: false, ...saved };

let model: MaskModel | undefined;
let state: EditorState | undefined;
let overlay: Overlay | undefined;
let imagePixels: Uint8ClampedArray | undefined;
/** Pixels shown with another label than the model's while a stroke is drawn. */
const preview = new Map<number, number>();
const selected = new Set<number>();
const described = new Map<number, DescribeReply | string>();
let polygon: Point[] = [];
let describeTimer: ReturnType<typeof setTimeout> | undefined;

// ---- layout ----
const root = document.getElementById('root') as HTMLElement;
const toolbar = el('div', 'toolbar');
const stage = el('div', 'stage');
const layers = el('div', 'layers');
const imageCanvas = el('canvas', 'image-layer');
const overlayCanvas = el('canvas', 'overlay-layer');
const cursor = el('div', 'cursor');
const polygonLayer = el('canvas', 'polygon-layer');
layers.append(imageCanvas, overlayCanvas, polygonLayer);
stage.append(layers, cursor);
const side = el('div', 'side');
const regionList = el('div', 'regions');
const status = el('div', 'status');
const help = el('div', 'help hidden');
root.append(toolbar, el('div', 'main'), help);
(root.querySelector('.main') as HTMLElement).append(stage, side);
const viewport = new Viewport((t) => (layers.style.transform = t));

const toolButtons = new Map<Tool, HTMLButtonElement>();
for (const { tool, key, title } of TOOLS) {
  const b = el('button', 'tool', title);
  b.title = `${title} (${key.toUpperCase()})`;
  b.dataset.tool = tool;
  b.addEventListener('click', () => setTool(tool));
  toolButtons.set(tool, b);
  toolbar.append(b);
}
const sizeInput = rangeInput('Size', 1, 200, ui.brush, (v) => (ui.brush = v));
const toleranceInput = rangeInput('Tolerance', 0, 255, ui.tolerance, (v) => (ui.tolerance = v));
const opacityInput = rangeInput('Opacity', 0, 100, Math.round(ui.opacity * 100), (v) => {
  ui.opacity = v / 100;
  if (overlay) {
    overlay.opacity = ui.opacity;
    overlay.redrawAll();
  }
});
const describeButton = el('button', 'action', 'Describe');
describeButton.title = 'Describe the selected region with the model (D)';
describeButton.addEventListener('click', () => void describeSelected());
const whileDrawing = el('input');
whileDrawing.type = 'checkbox';
whileDrawing.checked = ui.describeWhileDrawing;
whileDrawing.addEventListener('change', () => {
  ui.describeWhileDrawing = whileDrawing.checked;
  remember();
});
const whileLabel = el('label', 'check');
whileLabel.append(whileDrawing, document.createTextNode(' describe while drawing'));
const undoButton = el('button', 'action', 'Undo');
undoButton.title = 'Undo (Ctrl+Z)';
undoButton.addEventListener('click', () => void channel.request({ kind: 'undo' }));
const redoButton = el('button', 'action', 'Redo');
redoButton.title = 'Redo (Ctrl+Shift+Z)';
redoButton.addEventListener('click', () => void channel.request({ kind: 'redo' }));
const helpButton = el('button', 'action', '?');
helpButton.title = 'Keyboard shortcuts (?)';
helpButton.addEventListener('click', () => help.classList.toggle('hidden'));
toolbar.append(sizeInput, toleranceInput, opacityInput, describeButton, whileLabel, undoButton, redoButton, helpButton);

help.append(el('h2', '', 'Keyboard shortcuts'));
for (const [keys, what] of SHORTCUTS) {
  const row = el('div', 'shortcut');
  row.append(el('kbd', '', keys), el('span', '', what));
  help.append(row);
}
help.addEventListener('click', () => help.classList.add('hidden'));

const actions = el('div', 'actions');
for (const [label, title, run] of [
  ['New', 'The next stroke draws a new region (N)', () => newRegion()],
  ['Merge', 'Merge the selected regions (M)', () => mergeSelected()],
  ['Delete', 'Delete the selected regions (Delete)', () => deleteSelected()],
  ['Show all', 'Show or hide every region', () => toggleAll()],
] as [string, string, () => void][]) {
  const b = el('button', 'action', label);
  b.title = title;
  b.addEventListener('click', run);
  actions.append(b);
}
const splitBox = el('div', 'split');
const epsInput = numberInput('eps', 1.5, 0.1);
const minPtsInput = numberInput('minPts', 1, 1);
const splitPreview = el('span', 'split-preview');
const splitButton = el('button', 'action', 'Split');
splitButton.title = 'Split the selected region with DBSCAN (S)';
splitButton.addEventListener('click', () => splitSelected());
for (const input of [epsInput.input, minPtsInput.input]) input.addEventListener('input', () => showSplitPreview());
splitBox.append(epsInput.label, minPtsInput.label, splitButton, splitPreview);
const descriptionInput = el('input', 'description');
descriptionInput.placeholder = 'description of the selected region';
descriptionInput.setAttribute('list', 'descriptions');
const descriptionList = el('datalist');
descriptionList.id = 'descriptions';
descriptionInput.addEventListener('change', () => describeAs(descriptionInput.value));
const files = el('div', 'files');
const chooseMask = el('button', 'action', 'Choose mask…');
chooseMask.title = 'Edit the regions of another mask file';
chooseMask.addEventListener('click', () => void channel.request({ kind: 'chooseMask' }));
side.append(actions, splitBox, descriptionInput, descriptionList, regionList, files, chooseMask, status);

function rangeInput(label: string, min: number, max: number, value: number, set: (v: number) => void): HTMLLabelElement {
  const wrap = el('label', 'range', `${label} `);
  const input = el('input');
  input.type = 'range';
  input.min = String(min);
  input.max = String(max);
  input.value = String(value);
  const shown = el('span', 'value', String(value));
  input.addEventListener('input', () => {
    set(Number(input.value));
    shown.textContent = input.value;
    remember();
    updateCursor();
  });
  wrap.append(input, shown);
  return wrap;
}

function numberInput(label: string, value: number, step: number): { label: HTMLLabelElement; input: HTMLInputElement } {
  const wrap = el('label', 'number', `${label} `);
  const input = el('input');
  input.type = 'number';
  input.step = String(step);
  input.min = String(step);
  input.value = String(value);
  wrap.append(input);
  return { label: wrap, input };
}

function remember(): void {
  channel.vscode.setState(ui);
}

function setTool(tool: Tool): void {
  ui.tool = tool;
  polygon = [];
  drawPolygon();
  for (const [t, b] of toolButtons) b.classList.toggle('active', t === tool);
  stage.dataset.tool = tool;
  remember();
  updateCursor();
}

// ---- the document ----
function decodeLabels(text: string, count: number): Uint16Array {
  const binary = atob(text);
  const labels = new Uint16Array(count);
  for (let i = 0; i < count; i++) labels[i] = binary.charCodeAt(2 * i) | (binary.charCodeAt(2 * i + 1) << 8);
  return labels;
}

function load(next: EditorState): void {
  state = next;
  model = new MaskModel(next.width, next.height, decodeLabels(next.labels, next.width * next.height), next.regions);
  preview.clear();
  for (const id of [...selected]) if (!model.region(id)) selected.delete(id);
  const m = model;
  overlay = new Overlay(overlayCanvas, next.width, next.height, (i) => preview.get(i) ?? m.labels[i]);
  overlay.opacity = ui.opacity;
  overlay.selected = selected;
  polygonLayer.width = next.width;
  polygonLayer.height = next.height;
  overlay.redrawAll();
  const img = new Image();
  img.onload = () => {
    imageCanvas.width = next.width;
    imageCanvas.height = next.height;
    const ctx = imageCanvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
    ctx.drawImage(img, 0, 0, next.width, next.height);
    imagePixels = ctx.getImageData(0, 0, next.width, next.height).data;
    document.body.dataset.imageLoaded = 'true';
  };
  img.src = next.imageUri;
  viewport.fit(next.width, next.height, stage.clientWidth || 800, stage.clientHeight || 600);
  descriptionList.replaceChildren(...next.descriptions.map((d) => Object.assign(el('option'), { value: d })));
  files.textContent = next.files.length ? `Regions from ${next.files.length === 1 ? next.files[0] : `${next.files.length} region masks`}` : 'No mask yet: the first save asks where to write one.';
  if (next.select !== undefined && model.region(next.select)) {
    selected.clear();
    selected.add(next.select);
    overlay.redrawAll();
  }
  renderList();
  document.body.dataset.ready = 'true';
}

function applyFromHost(edit: MaskEdit, direction: 'apply' | 'revert'): void {
  if (!model || !overlay) return;
  if (direction === 'apply') model.apply(edit);
  else model.revert(edit);
  for (const r of [...edit.regionsBefore, ...edit.regionsAfter]) if (!model.region(r.id)) selected.delete(r.id);
  const rect = edit.pixels ? rectOf(edit.pixels.indices, model.width) : undefined;
  if (rect) overlay.redraw(rect);
  else if (edit.kind === 'merge' || edit.kind === 'delete') overlay.redrawAll();
  // A stroke being drawn keeps its preview (the new region it paints may arrive meanwhile).
  if (!stroke) clearPolygonAndStroke();
  renderList();
  if (ui.describeWhileDrawing && direction === 'apply' && edit.pixels) {
    const target = edit.kind === 'erase' ? [...selected][0] : edit.pixels.after[0];
    if (target) scheduleDescribe(target);
  }
}

function onEvent(event: EditorEvent): void {
  if (event.kind === 'state') load(event.state);
  else if (event.kind === 'edit' && model) applyFromHost(decodeEdit(event.edit, model.width * model.height), event.direction);
  else if (event.kind === 'select') select(event.region, false);
}

/** Edits go to the host one after another; a later edit is built only once the earlier ones came back. */
let pending: Promise<unknown> = Promise.resolve();

function propose(edit: MaskEdit | undefined): Promise<unknown> {
  if (!edit) {
    clearPolygonAndStroke();
    return pending;
  }
  const encoded = encodeEdit(edit);
  pending = pending
    .then(() => channel.request({ kind: 'edit', edit: encoded }))
    .catch((err: Error) => {
      status.textContent = err.message;
      clearPolygonAndStroke();
    });
  return pending;
}

/** Builds an edit once every edit proposed before it is in the model (a new region, say). */
function proposeLater(build: () => MaskEdit | undefined): void {
  pending = pending.then(() => {
    const edit = build();
    if (!edit) {
      clearPolygonAndStroke();
      return undefined;
    }
    return channel.request({ kind: 'edit', edit: encodeEdit(edit) });
  }).catch((err: Error) => {
    status.textContent = err.message;
    clearPolygonAndStroke();
  });
}

function clearPolygonAndStroke(): void {
  if (preview.size > 0 && overlay && model) {
    const rect = rectOf([...preview.keys()], model.width);
    preview.clear();
    if (rect) overlay.redraw(rect);
  }
}

// ---- regions ----
function targetRegion(): number | undefined {
  if (!model) return undefined;
  const first = [...selected][0];
  return first !== undefined && model.region(first) ? first : undefined;
}

/** With no region selected the next stroke, polygon or fill draws a new region. */
function newRegion(): void {
  select(undefined, false);
  status.textContent = 'The next stroke draws a new region.';
}

/**
 * Draws a new region with its first pixels as one edit (one undo removes it whole).  Its label
 * is the host's: the class last used on the image's object, else the user's pick among the
 * object's classes; none (the pick cancelled) draws nothing.
 */
function proposeNew(pixels: () => Iterable<number>, kind: 'paint' | 'polygon' | 'fill'): void {
  pending = pending
    .then(async () => {
      const label = (await channel.request({ kind: 'newRegionLabel' })) as RegionClass | null;
      if (label) learn(label);
      const m = model;
      const edit = label && m ? m.draw(metaOf(label), pixels(), kind) : undefined;
      if (!edit) {
        clearPolygonAndStroke();
        return undefined;
      }
      selected.clear();
      selected.add(edit.regionsAfter[0].id);
      status.textContent = '';
      return channel.request({ kind: 'edit', edit: encodeEdit(edit) });
    })
    .catch((err: Error) => {
      status.textContent = err.message;
      clearPolygonAndStroke();
    });
}

/** A class the user made (picked as new, or confirmed) joins the suggestions. */
function learn(label: RegionClass): void {
  if (!state || findClass(state.classes, label.description)) return;
  state.classes.push(label);
  if (!state.descriptions.includes(label.description)) state.descriptions.push(label.description);
  descriptionList.replaceChildren(...state.descriptions.map((d) => Object.assign(el('option'), { value: d })));
}

function metaOf(label: RegionClass): Omit<RegionMeta, 'id'> {
  return { defect: label.defect, description: label.description, ...(label.classId !== undefined ? { classId: label.classId } : {}) };
}

function mergeSelected(): void {
  if (!model || selected.size < 2) return;
  propose(model.merge([...selected].sort((a, b) => a - b)));
}

function deleteSelected(): void {
  if (!model) return;
  for (const id of [...selected]) if (model.region(id)) propose(model.delete(id));
}

/** Gives the selected region one of its object's classes; a description that is none of them becomes a class only once the user confirms it. */
function describeAs(description: string): void {
  const id = targetRegion();
  const text = description.trim();
  if (!model || id === undefined || text === '') return;
  const known = findClass(state?.classes ?? [], text);
  pending = pending
    .then(async () => {
      const label = known ?? ((await channel.request({ kind: 'newClass', description: text })) as RegionClass | null);
      if (label) learn(label);
      const edit = label && model?.region(id) ? model.describe(id, metaOf(label)) : undefined;
      if (!edit) {
        // Not confirmed: the field shows the region's label again.
        descriptionInput.value = model?.region(id)?.description ?? '';
        return undefined;
      }
      return channel.request({ kind: 'edit', edit: encodeEdit(edit) });
    })
    .catch((err: Error) => {
      status.textContent = err.message;
    });
}

function splitOptions(): { eps: number; minPts: number } {
  return { eps: Math.max(0.1, Number(epsInput.input.value) || 1.5), minPts: Math.max(1, Math.round(Number(minPtsInput.input.value) || 1)) };
}

function showSplitPreview(): void {
  const id = targetRegion();
  if (!model || id === undefined) {
    splitPreview.textContent = '';
    return;
  }
  const edit = model.split(id, splitOptions());
  splitPreview.textContent = edit ? `→ ${edit.regionsAfter.length + 1} regions` : '→ stays one region';
  preview.clear();
  if (edit?.pixels) edit.pixels.indices.forEach((i, k) => preview.set(i, (edit.pixels as NonNullable<MaskEdit['pixels']>).after[k]));
  overlay?.redrawAll();
}

function splitSelected(): void {
  const id = targetRegion();
  if (!model || id === undefined) return;
  preview.clear();
  propose(model.split(id, splitOptions()));
}

function toggleAll(): void {
  if (!overlay) return;
  overlay.allHidden = !overlay.allHidden;
  overlay.redrawAll();
}

function scheduleDescribe(id: number): void {
  clearTimeout(describeTimer);
  describeTimer = setTimeout(() => void describe(id), 250);
}

async function describeSelected(): Promise<void> {
  const id = targetRegion();
  if (id !== undefined) await describe(id);
}

async function describe(id: number): Promise<void> {
  described.set(id, 'describing…');
  renderList();
  try {
    const reply = (await channel.request({ kind: 'describe', region: id, topK: 3 })) as DescribeReply;
    described.set(id, reply);
  } catch (err) {
    described.set(id, err instanceof Error ? err.message : String(err));
  }
  renderList();
}

function renderList(): void {
  if (!model) return;
  const facts = new Map(model.facts().map((f) => [f.id, f]));
  const rows = model.regions().map((r: RegionMeta) => {
    const row = el('div', `region${selected.has(r.id) ? ' selected' : ''}`);
    row.dataset.region = String(r.id);
    const [cr, cg, cb] = regionColour(r.id);
    const swatch = el('span', 'swatch');
    swatch.style.background = `rgb(${cr}, ${cg}, ${cb})`;
    const visible = el('input');
    visible.type = 'checkbox';
    visible.checked = !overlay?.hidden.has(r.id);
    visible.title = 'Show this region';
    visible.addEventListener('click', (e) => {
      e.stopPropagation();
      if (visible.checked) overlay?.hidden.delete(r.id);
      else overlay?.hidden.add(r.id);
      overlay?.redrawAll();
    });
    const f = facts.get(r.id);
    const head = el('div', 'head');
    head.append(visible, swatch, el('b', '', `#${r.id}`), el('span', 'facts', f?.bbox ? ` ${f.area} px at ${f.bbox.join(', ')}` : ' empty'));
    row.append(head, el('div', 'defect', r.defect), el('div', 'truth', r.description));
    const answer = described.get(r.id);
    if (typeof answer === 'string') row.append(el('div', 'prediction pending', answer));
    else if (answer) {
      const best = answer.ranking[0];
      const agree = best && best.text === r.description;
      const p = el('div', `prediction${agree ? '' : ' disagrees'}`);
      p.append(el('span', '', 'model: '));
      for (const rank of answer.ranking) p.append(el('div', 'rank', `${rank.text} ${(rank.probability * 100).toFixed(1)} %`));
      row.append(p);
    }
    row.addEventListener('click', (e) => select(r.id, e.shiftKey || e.ctrlKey || e.metaKey));
    return row;
  });
  regionList.replaceChildren(...rows);
  const id = targetRegion();
  if (id !== undefined && document.activeElement !== descriptionInput) descriptionInput.value = model.region(id)?.description ?? '';
}

function select(id: number | undefined, add: boolean): void {
  if (!add) selected.clear();
  if (id !== undefined) {
    if (add && selected.has(id)) selected.delete(id);
    else selected.add(id);
  }
  overlay?.redrawAll();
  renderList();
  splitPreview.textContent = '';
}

// ---- pointer: strokes, polygon, fill, wand, pan, zoom ----
let stroke: { points: Point[]; erase: boolean; region?: number; pixels: Set<number> } | undefined;
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

stage.addEventListener('pointerdown', (e) => {
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
    case 'eraser': {
      const erase = ui.tool === 'eraser';
      const region = targetRegion();
      stroke = { points: [p], erase, ...(region !== undefined ? { region } : {}), pixels: new Set() };
      showStroke(strokePixels([p], ui.brush, model.width, model.height), region ?? model.nextId());
      break;
    }
    case 'polygon':
      polygon.push(p);
      drawPolygon();
      break;
    case 'fill':
    case 'wand': {
      if (index === undefined) return;
      const region = targetRegion();
      const pixels = ui.tool === 'fill' ? floodFillPixels(model.labels, model.width, model.height, index) : imagePixels ? magicWandPixels(imagePixels, model.width, model.height, index, ui.tolerance) : new Uint32Array();
      const m = model;
      if (e.altKey) proposeLater(() => m.erase(pixels));
      else if (region === undefined) proposeNew(() => pixels, 'fill');
      else proposeLater(() => m.paint(region, pixels, 'fill'));
      break;
    }
  }
});

stage.addEventListener('pointermove', (e) => {
  moveCursor(e);
  if (panning) {
    viewport.panBy(e.clientX - panning.x, e.clientY - panning.y);
    panning = { x: e.clientX, y: e.clientY };
    return;
  }
  if (!stroke || !model) return;
  const p = imagePoint(e);
  const last = stroke.points[stroke.points.length - 1];
  stroke.points.push(p);
  showStroke(strokePixels([last, p], ui.brush, model.width, model.height), stroke.region ?? model.nextId());
});

function endStroke(): void {
  panning = undefined;
  if (!stroke || !model) return;
  const pixels = [...stroke.pixels];
  const { erase, region } = stroke;
  const m = model;
  stroke = undefined;
  if (!erase && region === undefined) proposeNew(() => pixels, 'paint');
  else proposeLater(() => (erase ? m.erase(pixels, region) : m.paint(region as number, pixels)));
}
stage.addEventListener('pointerup', endStroke);
stage.addEventListener('pointercancel', endStroke);
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

function closePolygon(): void {
  if (!model || polygon.length < 3) return;
  const region = targetRegion();
  const vertices = polygon;
  polygon = [];
  drawPolygon();
  const m = model;
  if (region === undefined) proposeNew(() => polygonPixels(vertices, m.width, m.height), 'polygon');
  else proposeLater(() => m.paint(region, polygonPixels(vertices, m.width, m.height), 'polygon'));
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

function moveCursor(e: PointerEvent): void {
  const s = stagePoint(e);
  cursor.style.left = `${s.x}px`;
  cursor.style.top = `${s.y}px`;
}

/** The brush cursor at its true size on screen. */
function updateCursor(): void {
  const size = ui.tool === 'brush' || ui.tool === 'eraser' ? ui.brush * viewport.scale : 0;
  cursor.style.width = `${size}px`;
  cursor.style.height = `${size}px`;
  cursor.style.display = size > 0 ? 'block' : 'none';
}

// ---- keys ----
window.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement && e.target.type !== 'range' && e.target.type !== 'checkbox') return;
  const key = e.key;
  // Ctrl+Z / Ctrl+Shift+Z reach VS Code's own Undo and Redo: the workbench receives the webview's
  // keys, so handling them here too would undo twice.
  if (e.ctrlKey || e.metaKey) return;
  const tool = TOOLS.find((t) => t.key === key.toLowerCase());
  if (tool && !e.shiftKey) return setTool(tool.tool);
  const step = 40;
  switch (key) {
    case '[':
      return setBrush(Math.max(1, Math.round(ui.brush / 1.25)));
    case ']':
      return setBrush(Math.min(200, Math.round(ui.brush * 1.25) + 1));
    case 'n':
    case 'N':
      newRegion();
      return;
    case 'm':
    case 'M':
      return mergeSelected();
    case 's':
    case 'S':
      return splitSelected();
    case 'd':
    case 'D':
      void describeSelected();
      return;
    case 'Delete':
    case 'Backspace':
      return deleteSelected();
    case '+':
    case '=':
      viewport.zoomAt(1.25, stage.clientWidth / 2, stage.clientHeight / 2);
      return updateCursor();
    case '-':
      viewport.zoomAt(0.8, stage.clientWidth / 2, stage.clientHeight / 2);
      return updateCursor();
    case '0':
      if (state) viewport.fit(state.width, state.height, stage.clientWidth, stage.clientHeight);
      return updateCursor();
    case 'ArrowLeft':
      return viewport.panBy(step, 0);
    case 'ArrowRight':
      return viewport.panBy(-step, 0);
    case 'ArrowUp':
      return viewport.panBy(0, step);
    case 'ArrowDown':
      return viewport.panBy(0, -step);
    case 'Enter':
      return closePolygon();
    case 'Escape':
      polygon = [];
      help.classList.add('hidden');
      return drawPolygon();
    case '?':
      help.classList.toggle('hidden');
      return;
  }
  if (/^[1-9]$/.test(key) && state) {
    const text = state.descriptions[Number(key) - 1];
    if (text) describeAs(text);
  }
});

function setBrush(size: number): void {
  ui.brush = size;
  const input = sizeInput.querySelector('input') as HTMLInputElement;
  input.value = String(size);
  (sizeInput.querySelector('.value') as HTMLElement).textContent = String(size);
  remember();
  updateCursor();
}

setTool(ui.tool);
void channel.request({ kind: 'ready' }).then((s) => load(s as EditorState));
