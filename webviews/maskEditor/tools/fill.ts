// The flood fill (over the label map) and the magic wand (over the image's colours): one click is
// one edit, into the selected region, a new region when none is selected, or erased with Alt.
import { proposeLater, proposeNew } from '../edits';
import { ui } from '../settings';
import { imagePixels } from '../imageLayer';
import { model, targetRegion } from '../shownDocument';
import { floodFillPixels, magicWandPixels } from './pixels';

export function fillAt(index: number, tool: 'fill' | 'wand', erase: boolean): void {
  if (!model) return;
  const image = tool === 'wand' ? imagePixels() : undefined;
  const region = targetRegion();
  const pixels = tool === 'fill' ? floodFillPixels(model.labels, model.width, model.height, index) : image ? magicWandPixels(image, model.width, model.height, index, ui.tolerance) : new Uint32Array();
  const m = model;
  if (erase) proposeLater(() => m.erase(pixels));
  else if (region === undefined) proposeNew(() => pixels, 'fill');
  else proposeLater(() => m.paint(region, pixels, 'fill'));
}
