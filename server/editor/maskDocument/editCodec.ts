// Edits as JSON (typed arrays as base64): the hot-exit backup of unsaved edits, and the form in
// which the webview and the host exchange them.  Works in Node and in the browser.
import type { LabelChange, MaskEdit } from './types';

export interface EncodedEdit {
  kind: MaskEdit['kind'];
  label: string;
  pixels?: { indices: string; before: string; after: string };
  regionsBefore: MaskEdit['regionsBefore'];
  regionsAfter: MaskEdit['regionsAfter'];
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const bytesOf = (a: Uint32Array | Uint16Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function typed<T extends Uint32Array | Uint16Array>(text: string, make: (buffer: ArrayBuffer) => T): T {
  const bytes = fromBase64(text);
  return make(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

export function encodeEdit(edit: MaskEdit): EncodedEdit {
  const { pixels } = edit;
  return {
    kind: edit.kind,
    label: edit.label,
    ...(pixels ? { pixels: { indices: toBase64(bytesOf(pixels.indices)), before: toBase64(bytesOf(pixels.before)), after: toBase64(bytesOf(pixels.after)) } } : {}),
    regionsBefore: edit.regionsBefore,
    regionsAfter: edit.regionsAfter,
  };
}

/** Decodes and checks an edit read from a backup or a message; throws on a malformed one. */
export function decodeEdit(value: EncodedEdit, pixelCount: number): MaskEdit {
  let pixels: LabelChange | undefined;
  if (value.pixels) {
    pixels = {
      indices: typed(value.pixels.indices, (b) => new Uint32Array(b)),
      before: typed(value.pixels.before, (b) => new Uint16Array(b)),
      after: typed(value.pixels.after, (b) => new Uint16Array(b)),
    };
    const n = pixels.indices.length;
    if (pixels.before.length !== n || pixels.after.length !== n) throw new RangeError('an edit whose pixel lists differ in length');
    for (const i of pixels.indices) if (i >= pixelCount) throw new RangeError(`an edit names pixel ${i} of ${pixelCount}`);
  }
  if (!Array.isArray(value.regionsBefore) || !Array.isArray(value.regionsAfter)) throw new RangeError('an edit without its region lists');
  return { kind: value.kind, label: String(value.label), ...(pixels ? { pixels } : {}), regionsBefore: value.regionsBefore, regionsAfter: value.regionsAfter };
}
