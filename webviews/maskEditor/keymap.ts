// The mask editor's keys: one table, from which both the key handling and the `?` help are drawn,
// so that the help never tells of a key that does something else.
import { el } from '../channel';
import { describeSelected } from './describe';
import { deleteSelected, describeAs, mergeSelected, splitSelected } from './edits';
import { help, viewport } from './page';
import { newRegion, splitOptions } from './regionPanel';
import { ui } from './settings';
import { state } from './shownDocument';
import { fitImage, zoomAtCentre } from './stage';
import { closePolygon, dropPolygon } from './tools/polygon';
import { TOOLS } from './tools/toolbox';
import { setBrush, setTool } from './toolbar';

interface KeyRow {
  /** The keys as the help shows them. */
  shown: string;
  what: string;
  /** The KeyboardEvent.key values the row answers, and what they do (none: VS Code's own keys, listed for help). */
  keys: string[];
  run?: (key: string) => void;
  /** Not with Shift held. */
  plain?: boolean;
}

const PAN_STEP = 40;
const PANS: Record<string, [number, number]> = { ArrowLeft: [PAN_STEP, 0], ArrowRight: [-PAN_STEP, 0], ArrowUp: [0, PAN_STEP], ArrowDown: [0, -PAN_STEP] };
const both = (letter: string) => [letter, letter.toUpperCase()];

const KEYMAP: KeyRow[] = [
  {
    shown: TOOLS.map((t) => t.key.toUpperCase()).join(' '),
    what: TOOLS.map((t) => t.title.toLowerCase()).join(', '),
    keys: TOOLS.flatMap((t) => both(t.key)),
    run: (key) => setTool(TOOLS.find((t) => t.key === key.toLowerCase())?.tool ?? ui.tool),
    plain: true,
  },
  {
    shown: '[ ]',
    what: 'brush size smaller / larger',
    keys: ['[', ']'],
    run: (key) => setBrush(key === '[' ? Math.max(1, Math.round(ui.brush / 1.25)) : Math.min(200, Math.round(ui.brush * 1.25) + 1)),
  },
  { shown: 'N', what: 'the next stroke draws a new region', keys: both('n'), run: () => newRegion() },
  { shown: 'M', what: 'merge the selected regions', keys: both('m'), run: () => mergeSelected() },
  { shown: 'S', what: 'split the selected region (DBSCAN)', keys: both('s'), run: () => splitSelected(splitOptions()) },
  { shown: 'Delete', what: 'delete the selected regions', keys: ['Delete', 'Backspace'], run: () => deleteSelected() },
  {
    shown: '1 … 9',
    what: 'give the selected region the n-th description',
    keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    run: (key) => {
      const text = state?.descriptions[Number(key) - 1];
      if (text) describeAs(text);
    },
  },
  { shown: 'D', what: 'describe the selected region', keys: both('d'), run: () => void describeSelected() },
  {
    shown: '+ − 0',
    what: 'zoom in, out, fit',
    keys: ['+', '=', '-', '0'],
    run: (key) => (key === '0' ? fitImage() : zoomAtCentre(key === '-' ? 0.8 : 1.25)),
  },
  {
    shown: 'arrows, middle drag',
    what: 'pan',
    keys: Object.keys(PANS),
    run: (key) => viewport.panBy(...PANS[key]),
  },
  // Ctrl+Z / Ctrl+Shift+Z reach VS Code's own Undo and Redo: the workbench receives the webview's
  // keys, so handling them here too would undo twice.
  { shown: 'Ctrl+Z, Ctrl+Shift+Z', what: 'undo, redo', keys: [] },
  {
    shown: 'Enter, Escape',
    what: 'close or drop the polygon',
    keys: ['Enter', 'Escape'],
    run: (key) => {
      if (key === 'Enter') return closePolygon();
      help.classList.add('hidden');
      dropPolygon();
    },
  },
  { shown: '?', what: 'this help', keys: ['?'], run: () => void help.classList.toggle('hidden') },
];

export function drawHelp(): void {
  help.append(el('h2', '', 'Keyboard shortcuts'));
  for (const { shown, what } of KEYMAP) {
    const row = el('div', 'shortcut');
    row.append(el('kbd', '', shown), el('span', '', what));
    help.append(row);
  }
  help.addEventListener('click', () => help.classList.add('hidden'));
}

export function listenToKeys(): void {
  window.addEventListener('keydown', (e) => {
    if (typedIntoField(e)) return;
    if (e.ctrlKey || e.metaKey) return;
    const row = KEYMAP.find((r) => r.keys.includes(e.key) && !(r.plain && e.shiftKey));
    row?.run?.(e.key);
  });
}

/**
 * A key typed into a text or number field, or a picker's list, is the field's, not a shortcut.  The
 * fields are web components: the key's target is the component, the element typed into is inside
 * its shadow root, first on the event's composed path.
 */
function typedIntoField(e: KeyboardEvent): boolean {
  const path = e.composedPath();
  const first = path[0];
  if (first instanceof HTMLTextAreaElement || first instanceof HTMLSelectElement) return true;
  if (first instanceof HTMLInputElement) return first.type !== 'checkbox' && first.type !== 'radio' && first.type !== 'range';
  return path.some((node) => node instanceof HTMLElement && node.localName === 'vscode-single-select');
}
