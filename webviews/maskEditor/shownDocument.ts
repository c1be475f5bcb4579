// The document as the webview shows it: the model that the host's edits keep in step, the overlay
// that draws it, the pixels a stroke or a split preview shows otherwise, the selected regions and
// the model's answers.
import { decodeLabels } from '../../server/editor/labelsCodec';
import { MaskModel } from '../../server/editor/maskDocument/maskModel';
import type { DescribeReply, EditorState } from './messages';
import { Overlay, rectOf } from './overlay';
import { overlayCanvas } from './page';
import { ui } from './settings';

export let model: MaskModel | undefined;
export let state: EditorState | undefined;
export let overlay: Overlay | undefined;
/** Pixels shown with another label than the model's while a stroke is drawn. */
export const preview = new Map<number, number>();
export const selected = new Set<number>();
/** The model's answer for a region, or what stands in for it ("describing…", an error). */
export const described = new Map<number, DescribeReply | string>();

/** Takes the host's whole document: a new model and overlay; the selection keeps the regions that still exist. */
export function takeDocument(next: EditorState): void {
  state = next;
  const m = new MaskModel(next.width, next.height, decodeLabels(next.labels, next.width * next.height), next.regions);
  model = m;
  preview.clear();
  for (const id of [...selected]) if (!m.region(id)) selected.delete(id);
  overlay = new Overlay(overlayCanvas, next.width, next.height, (i) => (preview.size === 0 ? m.labels[i] : (preview.get(i) ?? m.labels[i])), m.labels);
  overlay.opacity = ui.opacity;
  overlay.selected = selected;
}

/** The region the tools and actions work on: the first selected one. */
export function targetRegion(): number | undefined {
  if (!model) return undefined;
  const first = [...selected][0];
  return first !== undefined && model.region(first) ? first : undefined;
}

/** Drops the previewed pixels, redrawing only where they were. */
export function clearPreview(): void {
  if (preview.size > 0 && overlay && model) {
    const rect = rectOf([...preview.keys()], model.width);
    preview.clear();
    if (rect) overlay.redraw(rect);
  }
}
