// A 3x5 bitmap font for the digits 0-9, so that region numbers can be drawn into a raster
// without any system font (none are installed where the tests run).

export const GLYPH_WIDTH = 3;
export const GLYPH_HEIGHT = 5;
/** Blank columns between two glyphs, in font pixels. */
export const GLYPH_GAP = 1;

const GLYPHS: readonly (readonly string[])[] = [
  ['###', '#.#', '#.#', '#.#', '###'],
  ['.#.', '##.', '.#.', '.#.', '###'],
  ['###', '..#', '###', '#..', '###'],
  ['###', '..#', '.##', '..#', '###'],
  ['#.#', '#.#', '###', '..#', '..#'],
  ['###', '#..', '###', '..#', '###'],
  ['###', '#..', '###', '#.#', '###'],
  ['###', '..#', '..#', '.#.', '.#.'],
  ['###', '#.#', '###', '#.#', '###'],
  ['###', '#.#', '###', '..#', '###'],
];

/** A one-bit raster, row-major: 1 = ink. */
export interface Bitmap {
  width: number;
  height: number;
  bits: Uint8Array;
}

/** The rows of digit `d` (0-9), '#' for ink. */
export function glyph(d: number): readonly string[] {
  const rows = Number.isInteger(d) ? GLYPHS[d] : undefined;
  if (!rows) throw new RangeError(`no glyph for ${d}: digits are 0-9`);
  return rows;
}

/** The digits of `text` side by side, GLYPH_GAP apart, each font pixel drawn as scale x scale pixels. */
export function digitsBitmap(text: string, scale = 1): Bitmap {
  if (!/^[0-9]+$/.test(text)) throw new RangeError(`"${text}" is not a string of digits`);
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`scale ${scale}: expected a whole number >= 1`);
  const columns = text.length * (GLYPH_WIDTH + GLYPH_GAP) - GLYPH_GAP;
  const width = columns * scale;
  const height = GLYPH_HEIGHT * scale;
  const bits = new Uint8Array(width * height);
  for (let k = 0; k < text.length; k++) {
    const rows = glyph(text.charCodeAt(k) - 48);
    const x0 = k * (GLYPH_WIDTH + GLYPH_GAP);
    for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
      for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
        if (rows[gy][gx] !== '#') continue;
        for (let dy = 0; dy < scale; dy++) {
          const row = (gy * scale + dy) * width;
          bits.fill(1, row + (x0 + gx) * scale, row + (x0 + gx + 1) * scale);
        }
      }
    }
  }
  return { width, height, bits };
}
