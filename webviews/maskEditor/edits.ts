// Edits proposed to the host, one after another: each is built from the model as the edits before
// it left it, sent, and taken into the model when the host sends it back (hostEvents.ts), so that
// VS Code's undo stack and the webview always agree.
import { encodeEdit } from '../../server/editor/maskDocument/editCodec';
import type { MaskEdit, RegionMeta } from '../../server/editor/maskDocument/types';
import { findClass } from '../../server/editor/regionLabels';
import type { RegionClass } from '../../server/editor/regionsTypes';
import { channel } from './hostChannel';
import { showDescription, showDescriptions, status } from './page';
import { clearPreview, model, preview, selected, state, targetRegion } from './shownDocument';

/** Edits go to the host one after another; a later edit is built only once the earlier ones came back. */
let pending: Promise<unknown> = Promise.resolve();

function send(edit: MaskEdit): Promise<null> {
  return channel.request('edit', { edit: encodeEdit(edit) });
}

export function propose(edit: MaskEdit | undefined): Promise<unknown> {
  if (!edit) {
    clearPreview();
    return pending;
  }
  const encoded = encodeEdit(edit);
  pending = pending
    .then(() => channel.request('edit', { edit: encoded }))
    .catch((err: Error) => {
      status.textContent = err.message;
      clearPreview();
    });
  return pending;
}

/** Builds an edit once every edit proposed before it is in the model (a new region, say). */
export function proposeLater(build: () => MaskEdit | undefined): void {
  pending = pending
    .then(() => {
      const edit = build();
      if (!edit) {
        clearPreview();
        return undefined;
      }
      return send(edit);
    })
    .catch((err: Error) => {
      status.textContent = err.message;
      clearPreview();
    });
}

/**
 * Draws a new region with its first pixels as one edit (one undo removes it whole).  Its label
 * is the host's: the class last used on the image's object, else the user's pick among the
 * object's classes; none (the pick cancelled) draws nothing.
 */
export function proposeNew(pixels: () => Iterable<number>, kind: 'paint' | 'polygon' | 'fill'): void {
  pending = pending
    .then(async () => {
      const label = await channel.request('newRegionLabel');
      if (label) learn(label);
      const m = model;
      const edit = label && m ? m.draw(metaOf(label), pixels(), kind) : undefined;
      if (!edit) {
        clearPreview();
        return undefined;
      }
      selected.clear();
      selected.add(edit.regionsAfter[0].id);
      status.textContent = '';
      return send(edit);
    })
    .catch((err: Error) => {
      status.textContent = err.message;
      clearPreview();
    });
}

/** A class the user made (picked as new, or confirmed) joins the suggestions. */
function learn(label: RegionClass): void {
  if (!state || findClass(state.classes, label.description)) return;
  state.classes.push(label);
  if (!state.descriptions.includes(label.description)) state.descriptions.push(label.description);
  showDescriptions(state.descriptions);
}

function metaOf(label: RegionClass): Omit<RegionMeta, 'id'> {
  return { defect: label.defect, description: label.description, ...(label.classId !== undefined ? { classId: label.classId } : {}) };
}

export function mergeSelected(): void {
  if (!model || selected.size < 2) return;
  propose(model.merge([...selected].sort((a, b) => a - b)));
}

export function deleteSelected(): void {
  if (!model) return;
  for (const id of [...selected]) if (model.region(id)) propose(model.delete(id));
}

export function splitSelected(options: { eps: number; minPts: number }): void {
  const id = targetRegion();
  if (!model || id === undefined) return;
  preview.clear();
  propose(model.split(id, options));
}

/** Gives the selected region one of its object's classes; a description that is none of them becomes a class only once the user confirms it. */
export function describeAs(description: string): void {
  const id = targetRegion();
  const text = description.trim();
  if (!model || id === undefined || text === '') return;
  const known = findClass(state?.classes ?? [], text);
  pending = pending
    .then(async () => {
      const label = known ?? (await channel.request('newClass', { description: text }));
      if (label) learn(label);
      const edit = label && model?.region(id) ? model.describe(id, metaOf(label)) : undefined;
      if (!edit) {
        // Not confirmed: the field shows the region's label again.
        showDescription(model?.region(id)?.description ?? '');
        return undefined;
      }
      return send(edit);
    })
    .catch((err: Error) => {
      status.textContent = err.message;
    });
}
