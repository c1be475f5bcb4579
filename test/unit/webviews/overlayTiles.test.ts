// Which tiles of a label map hold a region: the mask editor's overlay colours only those on a
// full redraw, so each must be found, including labels that read as -0 four at a time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TILE, labelledTiles } from '../../../webviews/maskEditor/overlay';

function naive(labels: Uint16Array, width: number): number[] {
  const across = Math.ceil(width / TILE);
  const tiles = new Array(across * Math.ceil(labels.length / width / TILE)).fill(0);
  labels.forEach((v, i) => v !== 0 && (tiles[Math.floor(i / width / TILE) * across + Math.floor((i % width) / TILE)] = 1));
  return tiles;
}

test('every tile holding a non-zero label is found, and no other', () => {
  for (const [width, height] of [[1000, 700], [257, 513], [4000, 300]]) {
    const labels = new Uint16Array(width * height);
    for (let k = 0; k < 30; k++) labels[(k * 7919 * 13) % labels.length] = 1 + (k % 5);
    // A label of 0x8000 last of four zeros: the four read as -0 together.
    labels[4 * 1001 + 3] = 0x8000;
    labels[labels.length - 1] = 2;
    assert.deepEqual([...labelledTiles(labels, width)], naive(labels, width), `${width}x${height}`);
  }
  assert.ok(labelledTiles(new Uint16Array(512 * 256), 512).every((t) => t === 0));
  const view = Uint16Array.of(0, 0, 0, 0, 0, 0, 0, 0, 7).subarray(1);
  assert.deepEqual([...labelledTiles(view, 8)], [1], 'a view that does not start on eight bytes');
});
