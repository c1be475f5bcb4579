// The mask editor's page: the toolbar, the stage (the image, the regions over it and the polygon
// being drawn, moved and zoomed together by the viewport, and the brush cursor), the side panel
// and the shortcuts' help; and the few elements that several parts write to.
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { el } from '../channel';
import { Viewport } from './viewport';

export const toolbar = el('div', 'toolbar');
export const stage = el('div', 'stage');
const layers = el('div', 'layers');
/** The image (imageLayer.ts replaces it with each image it loads). */
export const imageLayer = el('img', 'image-layer');
export const overlayCanvas = el('canvas', 'overlay-layer');
export const polygonLayer = el('canvas', 'polygon-layer');
export const cursor = el('div', 'cursor');
export const side = el('div', 'side');
export const help = el('div', 'help hidden');
/** What the editor says about the last action (a failed edit, "the next stroke draws a new region"). */
export const status = el('div', 'status');
/** The selected region's description, typed. */
export const descriptionInput = el('vscode-textfield', 'description');
/** The selected region's description, picked from the descriptions' list (the object's classes, those in use). */
export const classPicker = el('vscode-single-select', 'classes');

layers.append(imageLayer, overlayCanvas, polygonLayer);
stage.append(layers, cursor);
const main = el('div', 'main');
main.append(stage, side);
(document.getElementById('root') as HTMLElement).append(toolbar, main, help);

export const viewport = new Viewport((t) => (layers.style.transform = t));

let descriptions: readonly string[] = [];

export function showDescriptions(next: readonly string[]): void {
  descriptions = next;
  const shown = descriptionInput.value;
  const option = (value: string, label: string) => {
    const o = el('vscode-option', undefined, label);
    o.value = value;
    o.selected = value === (descriptions.includes(shown) ? shown : '');
    return o;
  };
  classPicker.replaceChildren(option('', 'Pick a class…'), ...descriptions.map((d) => option(d, d)));
}

/** Shows a description in the field, and in the picker when it is one of the list. */
export function showDescription(text: string): void {
  descriptionInput.value = text;
  classPicker.value = descriptions.includes(text) ? text : '';
}
