// @pure: part of splitting a mask into regions (split.ts).
// The foreground pixels of one class as a sorted list with per-row offsets: the shape every
// region splitter works on, so that work follows the anomalous pixels, not the image area.

export interface PixelRows {
  /** Pixel indices (y * maskWidth + x), ascending. */
  pixels: Int32Array;
  xs: Int32Array;
  /** First row holding a pixel. */
  top: number;
  /** Rows from `top` to the last row holding a pixel. */
  rows: number;
  /** rowStart[r] .. rowStart[r+1]-1: the list positions of row top + r. */
  rowStart: Int32Array;
  /** Leftmost and rightmost x of any pixel. */
  left: number;
  right: number;
}

export function pixelRows(pixels: Int32Array, maskWidth: number): PixelRows {
  const n = pixels.length;
  const xs = new Int32Array(n);
  if (n === 0) return { pixels, xs, top: 0, rows: 0, rowStart: new Int32Array(1), left: 0, right: -1 };
  const top = Math.floor(pixels[0] / maskWidth);
  const rows = Math.floor(pixels[n - 1] / maskWidth) - top + 1;
  const rowStart = new Int32Array(rows + 1);
  let left = maskWidth;
  let right = -1;
  let row = 0;
  let rowBegin = top * maskWidth;
  for (let k = 0; k < n; k++) {
    const i = pixels[k];
    while (i >= rowBegin + maskWidth) {
      rowBegin += maskWidth;
      rowStart[++row] = k;
    }
    const x = i - rowBegin;
    xs[k] = x;
    if (x < left) left = x;
    if (x > right) right = x;
  }
  while (row < rows) rowStart[++row] = n;
  return { pixels, xs, top, rows, rowStart, left, right };
}
