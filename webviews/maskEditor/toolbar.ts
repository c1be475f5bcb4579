// The toolbar: the tools, the brush size, the wand's tolerance and the overlay's opacity,
// Describe and "describe while drawing", Undo, Redo and the shortcuts' help.
import { el } from '../channel';
import { describeSelected } from './describe';
import { channel } from './hostChannel';
import { help, stage, toolbar } from './page';
import { remember, ui } from './settings';
import { overlay } from './shownDocument';
import { updateCursor } from './stage';
import { dropPolygon } from './tools/polygon';
import { TOOLS, type Tool } from './tools/toolbox';

const toolButtons = new Map<Tool, HTMLButtonElement>();
let sizeInput: HTMLLabelElement;

export function buildToolbar(): void {
  for (const { tool, key, title } of TOOLS) {
    const b = el('button', 'tool', title);
    b.title = `${title} (${key.toUpperCase()})`;
    b.dataset.tool = tool;
    b.addEventListener('click', () => setTool(tool));
    toolButtons.set(tool, b);
    toolbar.append(b);
  }
  sizeInput = rangeInput('Size', 1, 200, ui.brush, (v) => (ui.brush = v));
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
  undoButton.addEventListener('click', () => void channel.request('undo'));
  const redoButton = el('button', 'action', 'Redo');
  redoButton.title = 'Redo (Ctrl+Shift+Z)';
  redoButton.addEventListener('click', () => void channel.request('redo'));
  const helpButton = el('button', 'action', '?');
  helpButton.title = 'Keyboard shortcuts (?)';
  helpButton.addEventListener('click', () => help.classList.toggle('hidden'));
  toolbar.append(sizeInput, toleranceInput, opacityInput, describeButton, whileLabel, undoButton, redoButton, helpButton);
}

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

export function setTool(tool: Tool): void {
  ui.tool = tool;
  dropPolygon();
  for (const [t, b] of toolButtons) b.classList.toggle('active', t === tool);
  stage.dataset.tool = tool;
  remember();
  updateCursor();
}

export function setBrush(size: number): void {
  ui.brush = size;
  const input = sizeInput.querySelector('input') as HTMLInputElement;
  input.value = String(size);
  (sizeInput.querySelector('.value') as HTMLElement).textContent = String(size);
  remember();
  updateCursor();
}
