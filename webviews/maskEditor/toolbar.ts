// The toolbar: the tools, the brush size, the wand's tolerance and the overlay's opacity,
// Describe and "describe while drawing", Undo, Redo and the shortcuts' help; VS Code's own
// buttons, fields and checkbox (@vscode-elements), in the colours of the theme.
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { el } from '../channel';
import { actionButton, numberField } from './controls';
import { describeSelected } from './describe';
import { channel } from './hostChannel';
import { help, stage, toolbar } from './page';
import { remember, ui } from './settings';
import { overlay } from './shownDocument';
import { updateCursor } from './stage';
import { dropPolygon } from './tools/polygon';
import { TOOLS, type Tool } from './tools/toolbox';

const toolButtons = new Map<Tool, VscodeButton>();
let sizeField: VscodeTextfield;

export function buildToolbar(): void {
  const tools = el('div', 'tools');
  tools.setAttribute('role', 'group');
  tools.setAttribute('aria-label', 'Tools');
  for (const { tool, key, title } of TOOLS) {
    const b = actionButton('tool', title, `${title} (${key.toUpperCase()})`, () => setTool(tool));
    b.dataset.tool = tool;
    toolButtons.set(tool, b);
    tools.append(b);
  }
  const size = setting('size', 'Size', 1, 200, ui.brush, (v) => (ui.brush = v));
  sizeField = size[1] as VscodeTextfield;
  const tolerance = setting('tolerance', 'Tolerance', 0, 255, ui.tolerance, (v) => (ui.tolerance = v));
  const opacity = setting('opacity', 'Opacity %', 0, 100, Math.round(ui.opacity * 100), (v) => {
    ui.opacity = v / 100;
    if (overlay) {
      overlay.opacity = ui.opacity;
      overlay.redrawAll();
    }
  });
  const describeButton = actionButton('action', 'Describe', 'Describe the selected region with the model (D)', () => void describeSelected());
  const whileDrawing = el('vscode-checkbox', 'while-drawing');
  whileDrawing.label = 'describe while drawing';
  whileDrawing.checked = ui.describeWhileDrawing;
  whileDrawing.addEventListener('change', () => {
    ui.describeWhileDrawing = whileDrawing.checked;
    remember();
  });
  const undoButton = actionButton('action', 'Undo', 'Undo (Ctrl+Z)', () => void channel.request('undo'));
  const redoButton = actionButton('action', 'Redo', 'Redo (Ctrl+Shift+Z)', () => void channel.request('redo'));
  const helpButton = actionButton('action', '?', 'Keyboard shortcuts (?)', () => help.classList.toggle('hidden'));
  toolbar.append(tools, ...size, ...tolerance, ...opacity, describeButton, whileDrawing, undoButton, redoButton, helpButton);
}

/** A tool's setting as a number field: a value typed in range is taken at once (out of range or empty: nothing). */
function setting(id: string, label: string, min: number, max: number, value: number, set: (v: number) => void): HTMLElement[] {
  const { label: name, field } = numberField(id, label, { min, max, value });
  field.addEventListener('input', () => {
    const v = Number(field.value);
    if (field.value.trim() === '' || !Number.isFinite(v) || v < min || v > max) return;
    set(Math.round(v));
    remember();
    updateCursor();
  });
  return [name, field];
}

export function setTool(tool: Tool): void {
  ui.tool = tool;
  dropPolygon();
  for (const [t, b] of toolButtons) {
    b.secondary = t !== tool;
    b.classList.toggle('active', t === tool);
    b.setAttribute('aria-pressed', String(t === tool));
  }
  stage.dataset.tool = tool;
  remember();
  updateCursor();
}

export function setBrush(size: number): void {
  ui.brush = size;
  sizeField.value = String(size);
  remember();
  updateCursor();
}
