// What the host's messages do to the page: the whole document (on load, revert, a change on disk),
// an edit applied or reverted (the webview's own, coming back, or VS Code's Undo and Redo), and a
// region to select.
import { decodeEdit } from '../../server/editor/maskDocument/editCodec';
import type { MaskEdit } from '../../server/editor/maskDocument/types';
import { scheduleDescribe } from './describe';
import type { EditorState, MaskEditorEvent } from './messages';
import { rectOf } from './overlay';
import { showImage } from './imageLayer';
import { polygonLayer, showDescriptions, stage, status, viewport } from './page';
import { renderList, select, showFiles } from './regionPanel';
import { showReviewNote } from './reviewNote';
import { ui } from './settings';
import { clearPreview, model, overlay, selected, takeDocument } from './shownDocument';
import { strokeInProgress } from './tools/stroke';

export function handleHostEvent(event: MaskEditorEvent): void {
  if (event.kind === 'state') load(event.state);
  else if (event.kind === 'edit' && model) applyFromHost(decodeEdit(event.edit, model.width * model.height), event.direction);
  else if (event.kind === 'select') select(event.region, false);
  else if (event.kind === 'review') showReviewNote(event.note);
}

export function load(next: EditorState): void {
  takeDocument(next);
  polygonLayer.width = next.width;
  polygonLayer.height = next.height;
  overlay?.redrawAll();
  delete document.body.dataset.imageLoaded;
  showImage(next.imageUri, next.width, next.height).then(
    (shown) => {
      if (shown) document.body.dataset.imageLoaded = 'true';
    },
    (err: unknown) => (status.textContent = `The image could not be shown: ${err instanceof Error ? err.message : String(err)}`),
  );
  viewport.fit(next.width, next.height, stage.clientWidth || 800, stage.clientHeight || 600);
  showDescriptions(next.descriptions);
  showFiles(next.files);
  if (next.select !== undefined && model?.region(next.select)) {
    selected.clear();
    selected.add(next.select);
    overlay?.redrawAll();
  }
  renderList();
  showReviewNote(next.review);
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
  if (!strokeInProgress()) clearPreview();
  renderList();
  showReviewNote();
  if (ui.describeWhileDrawing && direction === 'apply' && edit.pixels) {
    const target = edit.kind === 'erase' ? [...selected][0] : edit.pixels.after[0];
    if (target) scheduleDescribe(target);
  }
}
