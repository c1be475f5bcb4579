// The side panel: the region actions (new, merge, delete, show all), the DBSCAN split with its
// preview, the selected region's description, the list of regions with the model's answers, the
// files the regions come from and the choice of another mask; VS Code's own buttons, fields,
// picker and checkboxes (@vscode-elements), in the colours of the theme.
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type { MaskEdit, RegionFacts, RegionMeta } from '../../server/editor/maskDocument/types';
import { regionColour } from '../../server/masks/regionColour';
import { el } from '../channel';
import { deleteSelected, describeAs, mergeSelected, splitSelected } from './edits';
import { actionButton, numberField } from './controls';
import { channel } from './hostChannel';
import { classPicker, descriptionInput, showDescription, side, status } from './page';
import { described, model, overlay, preview, selected, targetRegion } from './shownDocument';

const regionList = el('div', 'regions');
const files = el('div', 'files');
const splitPreview = el('span', 'split-preview');
let epsInput: VscodeTextfield;
let minPtsInput: VscodeTextfield;

export function buildRegionPanel(): void {
  const actions = el('div', 'actions');
  actions.append(
    actionButton('action', 'New', 'The next stroke draws a new region (N)', () => newRegion()),
    actionButton('action', 'Merge', 'Merge the selected regions (M)', () => mergeSelected()),
    actionButton('action', 'Delete', 'Delete the selected regions (Delete)', () => deleteSelected()),
    actionButton('action', 'Show all', 'Show or hide every region', () => toggleAll()),
  );
  const splitBox = el('div', 'split');
  const eps = numberField('eps', 'eps', { min: 0.1, step: 0.1, value: 1.5 });
  const minPts = numberField('min-pts', 'minPts', { min: 1, step: 1, value: 1 });
  epsInput = eps.field;
  minPtsInput = minPts.field;
  const splitButton = actionButton('action', 'Split', 'Split the selected region with DBSCAN (S)', () => splitSelected(splitOptions()));
  for (const input of [epsInput, minPtsInput]) input.addEventListener('input', () => showSplitPreview());
  splitBox.append(eps.label, eps.field, minPts.label, minPts.field, splitButton, splitPreview);
  descriptionInput.placeholder = 'description of the selected region';
  descriptionInput.label = 'Description of the selected region';
  descriptionInput.addEventListener('change', () => describeAs(descriptionInput.value));
  classPicker.label = 'Class of the selected region';
  classPicker.title = "Give the selected region one of the object's classes";
  classPicker.addEventListener('change', () => {
    if (classPicker.value) describeAs(classPicker.value);
  });
  const chooseMask = actionButton('action choose-mask', 'Choose mask…', 'Edit the regions of another mask file', () => void channel.request('chooseMask'));
  side.append(actions, splitBox, classPicker, descriptionInput, regionList, files, chooseMask, status);
}

export function showFiles(names: readonly string[]): void {
  files.textContent = names.length ? `Regions from ${names.length === 1 ? names[0] : `${names.length} region masks`}` : 'No mask yet: the first save asks where to write one.';
}

/** With no region selected the next stroke, polygon or fill draws a new region. */
export function newRegion(): void {
  select(undefined, false);
  status.textContent = 'The next stroke draws a new region.';
}

export function splitOptions(): { eps: number; minPts: number } {
  return { eps: Math.max(0.1, Number(epsInput.value) || 1.5), minPts: Math.max(1, Math.round(Number(minPtsInput.value) || 1)) };
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

function toggleAll(): void {
  if (!overlay) return;
  overlay.allHidden = !overlay.allHidden;
  overlay.redrawAll();
}

export function select(id: number | undefined, add: boolean): void {
  if (!add) selected.clear();
  if (id !== undefined) {
    if (add && selected.has(id)) selected.delete(id);
    else selected.add(id);
  }
  overlay?.redrawAll();
  renderList();
  splitPreview.textContent = '';
}

export function renderList(): void {
  if (!model) return;
  const facts = new Map(model.facts().map((f) => [f.id, f]));
  regionList.replaceChildren(...model.regions().map((r) => regionRow(r, facts.get(r.id))));
  const id = targetRegion();
  if (id !== undefined && document.activeElement !== descriptionInput) showDescription(model.region(id)?.description ?? '');
}

function regionRow(r: RegionMeta, f: RegionFacts | undefined): HTMLElement {
  const row = el('div', `region${selected.has(r.id) ? ' selected' : ''}`);
  row.dataset.region = String(r.id);
  const [cr, cg, cb] = regionColour(r.id);
  const swatch = el('span', 'swatch');
  swatch.style.background = `rgb(${cr}, ${cg}, ${cb})`;
  const visible = el('vscode-checkbox', 'visible');
  visible.checked = !overlay?.hidden.has(r.id);
  visible.title = 'Show this region';
  visible.addEventListener('click', (e) => e.stopPropagation());
  visible.addEventListener('change', () => {
    if (visible.checked) overlay?.hidden.delete(r.id);
    else overlay?.hidden.add(r.id);
    overlay?.redrawAll();
  });
  const head = el('div', 'head');
  head.append(visible, swatch, el('b', '', `#${r.id}`), el('span', 'facts', f?.bbox ? ` ${f.area} px at ${f.bbox.join(', ')}` : ' empty'));
  row.append(head, el('div', 'defect', r.defect), el('div', 'truth', r.description));
  const answer = described.get(r.id);
  if (typeof answer === 'string') row.append(el('div', 'prediction pending', answer));
  else if (answer) {
    const best = answer.ranking[0];
    const agree = best && best.text === r.description;
    const p = el('div', `prediction${answer.uncertain ? ' uncertain' : agree ? '' : ' disagrees'}`);
    p.append(el('span', '', answer.uncertain ? 'model (uncertain, its top candidates): ' : 'model: '));
    for (const rank of answer.ranking) p.append(el('div', 'rank', `${rank.text} ${(rank.probability * 100).toFixed(1)} %`));
    row.append(p);
  }
  row.addEventListener('click', (e) => select(r.id, e.shiftKey || e.ctrlKey || e.metaKey));
  return row;
}
