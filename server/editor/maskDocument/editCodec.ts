// @pure: edits as JSON (typed arrays as base64), the hot-exit backup of unsaved edits and the form
// in which the webview and the host exchange them.  Works in Node and in the browser.
import { decodeLabelList, decodePixels, encodeLabels, encodePixels } from '../labelsCodec';
import type { LabelChange, MaskEdit } from './types';

export interface EncodedEdit {
  kind: MaskEdit['kind'];
  label: string;
  pixels?: { indices: string; before: string; after: string };
  regionsBefore: MaskEdit['regionsBefore'];
  regionsAfter: MaskEdit['regionsAfter'];
}

export function encodeEdit(edit: MaskEdit): EncodedEdit {
  const { pixels } = edit;
  return {
    kind: edit.kind,
    label: edit.label,
    ...(pixels ? { pixels: { indices: encodePixels(pixels.indices), before: encodeLabels(pixels.before), after: encodeLabels(pixels.after) } } : {}),
    regionsBefore: edit.regionsBefore,
    regionsAfter: edit.regionsAfter,
  };
}

/** Decodes and checks an edit read from a backup or a message; throws on a malformed one. */
export function decodeEdit(value: EncodedEdit, pixelCount: number): MaskEdit {
  let pixels: LabelChange | undefined;
  if (value.pixels) {
    pixels = {
      indices: decodePixels(value.pixels.indices),
      before: decodeLabelList(value.pixels.before),
      after: decodeLabelList(value.pixels.after),
    };
    const n = pixels.indices.length;
    if (pixels.before.length !== n || pixels.after.length !== n) throw new RangeError('an edit whose pixel lists differ in length');
    for (const i of pixels.indices) if (i >= pixelCount) throw new RangeError(`an edit names pixel ${i} of ${pixelCount}`);
  }
  if (!Array.isArray(value.regionsBefore) || !Array.isArray(value.regionsAfter)) throw new RangeError('an edit without its region lists');
  return { kind: value.kind, label: String(value.label), ...(pixels ? { pixels } : {}), regionsBefore: value.regionsBefore, regionsAfter: value.regionsAfter };
}
