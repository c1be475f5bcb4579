// @pure: COCO's run-length encoding of a binary mask (as pycocotools writes it): runs counted
// down the columns (column-major), starting with a run of background, and its compressed
// string form.
//
// The string form stores each count in 5-bit groups, least significant first, as characters
// from '0' (48) on; bit 0x20 of a character says that another group follows, and the last
// group's bit 0x10 is the sign.  From the fourth count on, the difference to the count two
// before is stored instead of the count itself.

/** The runs of a region given by its pixel indices (y * width + x, any order). */
export function rleFromPixels(pixels: ArrayLike<number>, width: number, height: number): number[] {
  const columnMajor = new Float64Array(pixels.length);
  for (let k = 0; k < pixels.length; k++) {
    const i = pixels[k];
    const y = Math.floor(i / width);
    columnMajor[k] = (i - y * width) * height + y;
  }
  columnMajor.sort();
  const counts: number[] = [];
  let at = 0;
  let k = 0;
  while (k < columnMajor.length) {
    const start = columnMajor[k];
    let end = start + 1;
    for (k++; k < columnMajor.length && columnMajor[k] <= end; k++) if (columnMajor[k] === end) end++;
    counts.push(start - at, end - start);
    at = end;
  }
  const total = width * height;
  if (at < total || counts.length === 0) counts.push(total - at);
  return counts;
}

/** The pixel indices (y * width + x, ascending) the runs cover; the counts must add up to width × height. */
export function rleToPixels(counts: readonly number[], width: number, height: number): Uint32Array {
  const found: number[] = [];
  let at = 0;
  for (let r = 0; r < counts.length; r++) {
    const n = counts[r];
    if (r % 2 === 1) for (let j = at; j < at + n; j++) found.push((j % height) * width + Math.floor(j / height));
    at += n;
  }
  return Uint32Array.from(found).sort();
}

/** Pixels in the mask: the sum of the foreground runs. */
export function rleArea(counts: readonly number[]): number {
  let area = 0;
  for (let r = 1; r < counts.length; r += 2) area += counts[r];
  return area;
}

/** Why the counts cannot be a mask of this size, or undefined when they can. */
export function checkCounts(counts: unknown, width: number, height: number): string | undefined {
  if (!Array.isArray(counts)) return 'counts is neither a list of numbers nor a string';
  let total = 0;
  for (const n of counts) {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return `counts holds ${JSON.stringify(n)}, not a whole number of pixels`;
    total += n;
  }
  if (total !== width * height) return `its runs cover ${total} pixels, but ${height}×${width} is ${width * height}`;
  return undefined;
}

/** The compressed string form of the counts (pycocotools' rleToString). */
export function encodeCounts(counts: readonly number[]): string {
  let text = '';
  for (let i = 0; i < counts.length; i++) {
    let x = i > 2 ? counts[i] - counts[i - 2] : counts[i];
    for (let more = true; more; ) {
      let c = x & 0x1f;
      x = Math.floor(x / 32);
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      text += String.fromCharCode(c + 48);
    }
  }
  return text;
}

/** The counts of a compressed string (pycocotools' rleFrString); throws on a malformed string. */
export function decodeCounts(text: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < text.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= text.length) throw new Error('the compressed counts end in the middle of a number');
      const c = text.charCodeAt(p) - 48;
      if (c < 0 || c > 63) throw new Error(`character ${JSON.stringify(text[p])} at ${p} is not part of compressed counts`);
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x -= 2 ** (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2];
    counts.push(x);
  }
  return counts;
}
