// The one codec of label maps, pixel lists and edits' arrays, as the server, the extension host
// and the webview all use it: the same text as Node's own base64 of the little-endian bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeLabelList, decodeLabels, decodePixels, encodeLabelMap, encodeLabels, encodePixels } from '../../../server/editor/labelsCodec';
import { decodeEdit, encodeEdit } from '../../../server/editor/maskDocument/editCodec';
import type { MaskEdit } from '../../../server/editor/maskDocument/types';

const le16 = (values: number[]) => {
  const bytes = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => bytes.writeUInt16LE(v, i * 2));
  return bytes.toString('base64');
};
const le32 = (values: number[]) => {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeUInt32LE(v, i * 4));
  return bytes.toString('base64');
};

test('labels and pixels encode as the base64 of their little-endian bytes, every padding case included', () => {
  for (let n = 0; n <= 7; n++) {
    const labels = Array.from({ length: n }, (_, i) => (i * 40503 + 7) & 0xffff);
    const pixels = Array.from({ length: n }, (_, i) => (i * 2654435761 + 11) >>> 0);
    assert.equal(encodeLabels(Uint16Array.from(labels)), le16(labels));
    assert.equal(encodePixels(Uint32Array.from(pixels)), le32(pixels));
    assert.deepEqual([...decodeLabels(le16(labels), n)], labels);
    assert.deepEqual([...decodeLabelList(le16(labels))], labels);
    assert.deepEqual([...decodePixels(le32(pixels))], pixels);
  }
  // Odd byte counts: one and two bytes past a group of three.
  assert.deepEqual([...decodeLabelList(Buffer.from([1, 2, 3, 4]).toString('base64'))], [0x0201, 0x0403]);
  assert.deepEqual([...decodeLabelList(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]).toString('base64'))], [0x0201, 0x0403, 0x0605, 0x0807]);
});

test('a view into a larger buffer encodes only its own values; decoding works without padding', () => {
  const whole = Uint16Array.of(9, 1, 2, 3, 9);
  assert.equal(encodeLabels(whole.subarray(1, 4)), le16([1, 2, 3]));
  assert.deepEqual([...decodeLabelList(le16([1, 2, 3]).replace(/=+$/, ''))], [1, 2, 3]);
});

test('a large label map round-trips', () => {
  const labels = new Uint16Array(1024 * 1024);
  for (let i = 0; i < labels.length; i++) labels[i] = (i >> 7) % 300;
  const text = encodeLabels(labels);
  assert.equal(text, Buffer.from(labels.buffer).toString('base64'));
  assert.deepEqual(decodeLabels(text, labels.length), labels);
});

test('a whole label map goes as its runs when that is shorter, else as its labels, and decodes the same', () => {
  const size = 4000;
  const sparse = new Uint16Array(size * size);
  for (let r = 1; r <= 6; r++) for (let y = r * 500; y < r * 500 + 200; y++) sparse.fill(r, y * size + r * 400, y * size + r * 400 + 200);
  // Labels of 0x8000 in the last of four: the four read as -0 when taken together.
  for (let k = 0; k < 40; k++) sparse[4 * k * 997 + 3] = 0x8000;
  const text = encodeLabelMap(sparse);
  assert.ok(text.startsWith('runs:') && text.length < 40_000, `${text.length} characters`);
  assert.deepEqual(decodeLabels(text, sparse.length), sparse);
  const dense = Uint16Array.from({ length: 10_001 }, (_, i) => (i * 40503) & 0xffff);
  assert.equal(encodeLabelMap(dense), encodeLabels(dense));
  assert.deepEqual(decodeLabels(encodeLabelMap(dense), dense.length), dense);
  const view = Uint16Array.of(9, 0, 0, 0, 0, 0, 3, 3, 9).subarray(1, 8);
  assert.deepEqual([...decodeLabels(encodeLabelMap(view), 7)], [0, 0, 0, 0, 0, 3, 3]);
  assert.throws(() => decodeLabels(encodeLabelMap(new Uint16Array(100)), 99), /a label map of more than 99 values/);
  assert.throws(() => decodeLabels(encodeLabelMap(new Uint16Array(100)), 101), /a label map of 100 values for 101 pixels/);
  assert.throws(() => decodeLabels(`runs:${le32([4, 70000])}`, 4), /label 70000 is not a 16-bit label/);
});

test('text that is not base64, or of the wrong length, is refused with what is wrong', () => {
  assert.throws(() => decodeLabelList('AAA*'), /not base64 text: "\*" at 3/);
  assert.throws(() => decodeLabelList('AAAAA'), /not base64 text/);
  assert.throws(() => decodeLabelList('AAAA===='), /not base64 text/);
  assert.throws(() => decodeLabelList(le16([1]).slice(0, 2)), /not a list of 16-bit labels/);
  assert.throws(() => decodePixels(le16([1])), /not a list of 32-bit pixel indices/);
  assert.throws(() => decodeLabels(le16([1, 2, 3]), 4), /a label map of 3 values for 4 pixels/);
});

test('an edit round-trips through its JSON form; one naming a pixel outside the image is refused', () => {
  const edit: MaskEdit = {
    kind: 'paint',
    label: 'paint',
    pixels: { indices: Uint32Array.of(3, 70000, 8), before: Uint16Array.of(0, 2, 0), after: Uint16Array.of(5, 5, 5) },
    regionsBefore: [],
    regionsAfter: [{ id: 5, defect: 'dent', description: 'dent in plate' }],
  };
  const json = JSON.parse(JSON.stringify(encodeEdit(edit)));
  assert.deepEqual(decodeEdit(json, 80000), edit);
  assert.throws(() => decodeEdit(json, 1000), /names pixel 70000 of 1000/);
});
