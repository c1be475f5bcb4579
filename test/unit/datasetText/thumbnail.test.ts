// The hover thumbnail: real PNGs written to a temp folder, rendered, and the output PNG decoded
// and checked pixel by pixel (sizes, outline colours, the number's box, focus crops, tiny
// regions, grey and 16-bit input, errors), plus the digit font it draws numbers with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import sharp from 'sharp';
import { regionColour } from '../../../server/masks/regionColour';
import { GLYPH_GAP, GLYPH_HEIGHT, GLYPH_WIDTH, digitsBitmap, glyph } from '../../../server/datasetText/digitFont';
import { LABEL_SCALE, labelInk, labelSize, maskBounds, outlinePixels, placeLabels, renderThumbnail, scaleMask, thumbnailDataUrl, type Thumbnail } from '../../../server/datasetText/thumbnail';
import { UserError } from '../../../server/util/errors';
import { writePngFixture } from '../image/pngFixture';
import { useTempDir } from '../image/tempDir';
import { SAMPLE } from '../masks/sample';

type Rgb = readonly [number, number, number];
/** Inclusive pixel box. */
type Box = { x0: number; y0: number; x1: number; y1: number };

interface Decoded {
  width: number;
  height: number;
  data: Buffer;
}

const GREY: Rgb = [128, 128, 128];

async function decode(t: Thumbnail): Promise<Decoded> {
  const { data, info } = await sharp(t.png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 3);
  assert.deepEqual([info.width, info.height], [t.width, t.height]);
  return { width: info.width, height: info.height, data };
}

function at(d: Decoded, x: number, y: number): Rgb {
  const o = 3 * (y * d.width + x);
  return [d.data[o], d.data[o + 1], d.data[o + 2]];
}

function is(d: Decoded, x: number, y: number, c: Rgb): boolean {
  const p = at(d, x, y);
  return p[0] === c[0] && p[1] === c[1] && p[2] === c[2];
}

function pixelsOf(d: Decoded, c: Rgb, box: Box = { x0: 0, y0: 0, x1: d.width - 1, y1: d.height - 1 }): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let y = box.y0; y <= box.y1; y++) for (let x = box.x0; x <= box.x1; x++) if (is(d, x, y, c)) out.push({ x, y });
  return out;
}

function boxOf(points: { x: number; y: number }[]): Box | undefined {
  if (points.length === 0) return undefined;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

const inside = (b: Box, x: number, y: number) => x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1;

function labelBox(id: number, x: number, y: number): Box {
  const s = labelSize(id);
  return { x0: x, y0: y, x1: x + s.width - 1, y1: y + s.height - 1 };
}

/** The label of `id` with its top-left at (x, y): light or dark digits on the region's colour, pixel for pixel. */
function assertLabel(d: Decoded, id: number, x: number, y: number): void {
  const size = labelSize(id);
  const text = digitsBitmap(String(id), LABEL_SCALE);
  const pad = (size.width - text.width) / 2;
  assert.equal(pad, (size.height - text.height) / 2);
  for (let dy = 0; dy < size.height; dy++) {
    for (let dx = 0; dx < size.width; dx++) {
      const tx = dx - pad;
      const ty = dy - pad;
      const ink = tx >= 0 && ty >= 0 && tx < text.width && ty < text.height && text.bits[ty * text.width + tx] === 1;
      assert.deepEqual(at(d, x + dx, y + dy), ink ? labelInk(regionColour(id)) : regionColour(id), `label ${id} pixel (${x + dx}, ${y + dy})`);
    }
  }
}

function writeMask(file: string, width: number, height: number, on: (x: number, y: number) => boolean): string {
  const values = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (on(x, y)) values[y * width + x] = 255;
  writePngFixture(file, width, height, 'grey', 8, values);
  return file;
}

async function writeImage(file: string, width: number, height: number, colour: Rgb = GREY): Promise<string> {
  await sharp({ create: { width, height, channels: 3, background: { r: colour[0], g: colour[1], b: colour[2] } } }).png().toFile(file);
  return file;
}

describe('renderThumbnail', () => {
  const tmp = useTempDir('thumbnail');
  const W = 200;
  const H = 100;
  // Region 1: the square x 20..59, y 40..79; region 2: a disc of radius 25 around (140, 60).
  const inSquare = (x: number, y: number) => x >= 20 && x <= 59 && y >= 40 && y <= 79;
  const inDisc = (x: number, y: number) => (x - 140) ** 2 + (y - 60) ** 2 <= 625;
  const scene = async () => ({
    image: await writeImage(tmp('scene.png'), W, H),
    regions: [
      { mask: writeMask(tmp('square.png'), W, H, inSquare), id: 1 },
      { mask: writeMask(tmp('disc.png'), W, H, inDisc), id: 2 },
    ],
  });

  it('fits the longest side to maxSize, keeps the aspect ratio, and never enlarges a whole image', async () => {
    const { image, regions } = await scene();
    const small = await renderThumbnail(image, regions, { maxSize: 100 });
    assert.deepEqual([small.width, small.height], [100, 50]);
    const whole = await renderThumbnail(image, regions);
    assert.deepEqual([whole.width, whole.height], [200, 100]);
    const odd = await renderThumbnail(image, regions, { maxSize: 77 });
    assert.ok(odd.width === 77 && Math.abs(odd.height - 38.5) <= 0.5);
    await decode(odd);
  });

  it('outlines each region in its editor colour along its edge, leaves its inside and the rest of the image alone', async () => {
    const { image, regions } = await scene();
    const d = await decode(await renderThumbnail(image, regions, { maxSize: 100 }));
    const c1 = regionColour(1);
    const c2 = regionColour(2);
    assert.notDeepEqual(c1, c2);

    // At half scale the square is x 10..29, y 20..39; the line covers both sides of its edge,
    // and the label sits on top of the box's top-left corner (x 9..18, y 5..18).
    assert.deepEqual(boxOf(pixelsOf(d, c1)), { x0: 9, y0: 5, x1: 30, y1: 40 });
    assert.deepEqual(boxOf(pixelsOf(d, c1, { x0: 0, y0: 19, x1: 99, y1: 49 })), { x0: 9, y0: 19, x1: 30, y1: 40 });
    for (const [x, y] of [[9, 30], [10, 30], [29, 30], [30, 30], [20, 19], [20, 20], [20, 39], [20, 40], [29, 39]]) {
      assert.ok(is(d, x, y, c1), `square outline at (${x}, ${y}) is ${at(d, x, y)}`);
    }
    for (let y = 22; y <= 37; y++) {
      for (let x = 12; x <= 27; x++) assert.deepEqual(at(d, x, y), GREY, `inside the square at (${x}, ${y})`);
    }

    // The disc: x 57..82, y 17..42 at half scale, centre (70, 30), radius about 12.5; its label x 56..65, y 2..15.
    assert.deepEqual(boxOf(pixelsOf(d, c2)), { x0: 56, y0: 2, x1: 83, y1: 43 });
    for (let a = 0; a < 360; a += 15) {
      const x = Math.round(70 + 12.5 * Math.cos((a * Math.PI) / 180));
      const y = Math.round(30 + 12.5 * Math.sin((a * Math.PI) / 180));
      const near = pixelsOf(d, c2, { x0: x - 1, y0: y - 1, x1: x + 1, y1: y + 1 });
      assert.ok(near.length > 0, `disc outline near (${x}, ${y}) at ${a}°`);
    }
    for (let y = 22; y <= 38; y++) {
      for (let x = 62; x <= 78; x++) {
        if ((x - 70) ** 2 + (y - 30) ** 2 <= 64) assert.deepEqual(at(d, x, y), GREY, `inside the disc at (${x}, ${y})`);
      }
    }

    // Neither colour strays into the other region or elsewhere.
    assert.equal(pixelsOf(d, c2, { x0: 0, y0: 0, x1: 40, y1: 49 }).length, 0);
    assert.equal(pixelsOf(d, c1, { x0: 45, y0: 0, x1: 99, y1: 49 }).length, 0);
    assert.deepEqual(at(d, 45, 45), GREY);
    assert.deepEqual(at(d, 99, 0), GREY);
  });

  it('draws each number on a box of the region colour on top of the top-left corner of its box', async () => {
    const { image, regions } = await scene();
    const d = await decode(await renderThumbnail(image, regions, { maxSize: 100 }));
    assertLabel(d, 1, 9, 5);
    assertLabel(d, 2, 56, 2);
  });

  it('numbers with two digits, and keeps a label inside the thumbnail when the region is at its edge', async () => {
    const image = await writeImage(tmp('edge.png'), 60, 40);
    const corner = writeMask(tmp('corner.png'), 60, 40, (x, y) => x >= 55 && y >= 36);
    const d = await decode(await renderThumbnail(image, [{ mask: corner, id: 12 }]));
    const size = labelSize(12);
    assert.equal(size.width, (2 * (GLYPH_WIDTH + GLYPH_GAP) - GLYPH_GAP + 2) * LABEL_SCALE);
    // No room above the box's corner in full: moved left, still above the region.
    assertLabel(d, 12, 60 - size.width, 36 - 1 - size.height);
    assert.ok(is(d, 54, 38, regionColour(12)) && is(d, 59, 35, regionColour(12)), 'the region is not hidden');
  });

  it('focus crops around the region with a margin, zooms in, and outlines only that region', async () => {
    const { image, regions } = await scene();
    const whole = await decode(await renderThumbnail(image, regions, { maxSize: 100 }));
    const focused = await renderThumbnail(image, regions, { maxSize: 100, focus: 2 });
    // The disc's box is 51 pixels; with 13 pixels of margin the crop is 77 x 77, enlarged to 100.
    assert.deepEqual([focused.width, focused.height], [100, 100]);
    const d = await decode(focused);
    const c2 = regionColour(2);
    assert.equal(pixelsOf(d, regionColour(1)).length, 0);
    const zoomed = boxOf(pixelsOf(d, c2)) as Box;
    const small = boxOf(pixelsOf(whole, c2)) as Box;
    assert.ok(zoomed.x1 - zoomed.x0 > 2 * (small.x1 - small.x0), `focused disc ${JSON.stringify(zoomed)} vs whole ${JSON.stringify(small)}`);
    // The margin shows image around the region on every side; the disc's box starts at (16, 16).
    assert.ok(zoomed.x0 >= 10 && zoomed.x1 <= 89 && zoomed.y1 <= 89, JSON.stringify(zoomed));
    assertLabel(d, 2, 15, 1);
    assert.deepEqual(at(d, 50, 50), GREY);
  });

  it('a focus crop at the image border is clamped to the image', async () => {
    const { image, regions } = await scene();
    const focused = await renderThumbnail(image, regions, { maxSize: 64, focus: 1 });
    // Square x 20..59, margin 10: x 10..69, y 10..69 inside the 200 x 100 image, 60 x 60.
    assert.deepEqual([focused.width, focused.height], [64, 64]);
    const d = await decode(focused);
    assert.equal(pixelsOf(d, regionColour(2)).length, 0);
    assert.ok(pixelsOf(d, regionColour(1)).length > 0);
  });

  it('a region of one pixel, and a one-pixel line, on a big image still show after shrinking', async () => {
    const image = await writeImage(tmp('big.png'), 1000, 1000);
    const dot = writeMask(tmp('dot.png'), 1000, 1000, (x, y) => x === 500 && y === 700);
    const line = writeMask(tmp('line.png'), 1000, 1000, (x, y) => y === 333 && x >= 100 && x <= 899);
    const d = await decode(await renderThumbnail(image, [{ mask: dot, id: 3 }, { mask: line, id: 4 }], { maxSize: 64 }));
    // 1000 -> 64: (500, 700) falls in thumbnail pixel (32, 44), row 333 in row 21, columns 100..899 in 6..57.
    assert.ok(is(d, 31, 44, regionColour(3)) && is(d, 32, 43, regionColour(3)) && is(d, 32, 45, regionColour(3)), 'the dot is outlined');
    assertLabel(d, 3, 31, 29);
    assertLabel(d, 4, 5, 6);
    for (let x = 6; x <= 57; x++) assert.ok(is(d, x, 20, regionColour(4)), `the line is unbroken at column ${x}`);
  });

  it('renders grey, grey with alpha and 16-bit images as 8-bit RGB', async () => {
    const w = 60;
    const h = 40;
    const mask = writeMask(tmp('rect.png'), w, h, (x, y) => x >= 10 && x <= 29 && y >= 10 && y <= 29);
    const n = w * h;
    const cases: [string, Parameters<typeof writePngFixture>, Rgb][] = [
      ['grey8.png', [tmp('grey8.png'), w, h, 'grey', 8, new Array(n).fill(200)], [200, 200, 200]],
      ['grey16.png', [tmp('grey16.png'), w, h, 'grey', 16, new Array(n).fill(200 * 257)], [200, 200, 200]],
      ['rgb16.png', [tmp('rgb16.png'), w, h, 'rgb', 16, Array.from({ length: n * 3 }, (_, i) => [200, 100, 50][i % 3] * 257)], [200, 100, 50]],
      ['grey-alpha.png', [tmp('grey-alpha.png'), w, h, 'grey-alpha', 8, Array.from({ length: n * 2 }, (_, i) => (i % 2 ? 255 : 90))], [90, 90, 90]],
    ];
    for (const [name, fixture, background] of cases) {
      writePngFixture(...fixture);
      const t = await renderThumbnail(tmp(name), [{ mask, id: 1 }]);
      assert.deepEqual([t.width, t.height], [w, h], name);
      const d = await decode(t);
      assert.deepEqual(at(d, 50, 35), background, name);
      assert.deepEqual(at(d, 20, 27), background, `${name}: inside the region`);
      assert.ok(is(d, 9, 20, regionColour(1)) && is(d, 29, 20, regionColour(1)), `${name}: outline`);
    }
  });

  it('outlines a real MVTec ground-truth mask on its image', async () => {
    const image = join(SAMPLE, 'otx_hazelnut/test/colour/000.jpg');
    const mask = join(SAMPLE, 'otx_hazelnut/ground_truth/colour/000_mask.png');
    const t = await renderThumbnail(image, [{ mask, id: 1 }]);
    assert.deepEqual([t.width, t.height], [256, 256]);
    const d = await decode(t);
    const { data, info } = await sharp(mask).greyscale().raw().toBuffer({ resolveWithObject: true });
    const on: { x: number; y: number }[] = [];
    for (let i = 0; i < data.length; i++) if (data[i] > 0) on.push({ x: i % info.width, y: Math.floor(i / info.width) });
    const truth = boxOf(on) as Box;
    const label = labelBox(1, Math.floor(truth.x0 / 2) - 1, Math.floor(truth.y0 / 2) - 1 - labelSize(1).height);
    assertLabel(d, 1, label.x0, label.y0);
    const outline = pixelsOf(d, regionColour(1)).filter((p) => !inside(label, p.x, p.y));
    assert.ok(outline.length > 100, `${outline.length} outline pixels`);
    // The outline hugs the half-size ground-truth box, give or take the line's width.
    const b = boxOf(outline) as Box;
    assert.ok(Math.abs(b.x0 - Math.floor(truth.x0 / 2)) <= 1 && Math.abs(b.y0 - Math.floor(truth.y0 / 2)) <= 1, JSON.stringify({ b, truth }));
    assert.ok(Math.abs(b.x1 - Math.floor(truth.x1 / 2)) <= 1 && Math.abs(b.y1 - Math.floor(truth.y1 / 2)) <= 1, JSON.stringify({ b, truth }));
  });

  it('gives a data: URL of the PNG', async () => {
    const { image, regions } = await scene();
    const t = await renderThumbnail(image, regions, { maxSize: 32 });
    const url = thumbnailDataUrl(t);
    assert.match(url, /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'), t.png);
  });

  it('a missing image or mask, or a mask of another size, is a UserError naming the file', async () => {
    const { image, regions } = await scene();
    const missing = tmp('missing.png');
    await assert.rejects(renderThumbnail(missing, regions), (err: Error) => err instanceof UserError && err.message.includes(missing));
    const noMask = tmp('no-mask.png');
    await assert.rejects(renderThumbnail(image, [{ mask: noMask, id: 1 }]), (err: Error) => err instanceof UserError && err.message.includes(noMask));
    const wrong = writeMask(tmp('wrong-size.png'), 20, 10, () => true);
    await assert.rejects(renderThumbnail(image, [{ mask: wrong, id: 1 }]), (err: Error) => err instanceof UserError && err.message.includes(wrong) && /20x10/.test(err.message));
    await assert.rejects(renderThumbnail(tmp(''), regions), (err: Error) => err instanceof UserError && /directory/.test(err.message));
  });

  it('refuses a focus id that is not among the regions', async () => {
    const { image, regions } = await scene();
    await assert.rejects(renderThumbnail(image, regions, { focus: 7 }), RangeError);
  });
});

describe('thumbnail pixel functions', () => {
  it('maskBounds is the tightest [x, y, w, h] box, undefined for an empty mask', () => {
    const m = new Uint8Array(6 * 4);
    assert.equal(maskBounds(m, 6), undefined);
    m[1 * 6 + 4] = 1;
    m[3 * 6 + 2] = 9;
    assert.deepEqual(maskBounds(m, 6), [2, 1, 3, 3]);
  });

  it('scaleMask keeps any covered pixel when shrinking and samples the nearest when enlarging', () => {
    const m = new Uint8Array(8 * 8);
    m[5 * 8 + 6] = 1;
    const down = scaleMask(m, 8, { left: 0, top: 0, width: 8, height: 8 }, 2, 2);
    assert.deepEqual([...down], [0, 0, 0, 1]);
    const up = scaleMask(m, 8, { left: 4, top: 4, width: 4, height: 4 }, 8, 8);
    assert.deepEqual(maskBounds(up, 8), [4, 2, 2, 2]);
  });

  it('outlinePixels covers both sides of the edge; a single pixel becomes a cross', () => {
    const m = new Uint8Array(5 * 5);
    m[12] = 1;
    assert.deepEqual([...outlinePixels(m, 5, 5)], [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('placeLabels puts a label on top of its box, else where it hides neither its region nor another label', () => {
    const size = { width: 10, height: 14 };
    const place = (bbox: [number, number, number, number], width = 64, height = 64) => placeLabels([{ bbox, size }], width, height)[0];
    assert.deepEqual(place([30, 30, 3, 3]), { x: 29, y: 15 });
    assert.deepEqual(place([5, 6, 3, 3]), { x: 4, y: 10 }, 'no room above: below');
    assert.deepEqual(place([60, 60, 3, 3]), { x: 54, y: 45 }, 'moved inside, still above');
    assert.deepEqual(place([2, 2, 3, 3], 8, 8), { x: 0, y: 0 }, 'no room anywhere');
    const [a, b, c] = placeLabels([{ bbox: [20, 30, 20, 20], size }, { bbox: [22, 33, 20, 20], size }, { bbox: [18, 31, 20, 20], size }], 100, 100);
    assert.deepEqual(a, { x: 19, y: 15 });
    assert.deepEqual(b, { x: 21, y: 54 }, 'above is taken: below');
    assert.deepEqual(c, { x: 7, y: 30 }, 'above and below taken: left');
    const apart = (p: { x: number; y: number }, q: { x: number; y: number }) => p.x + size.width + 2 <= q.x || q.x + size.width + 2 <= p.x || p.y + size.height + 2 <= q.y || q.y + size.height + 2 <= p.y;
    assert.ok(apart(a, b) && apart(a, c) && apart(b, c), JSON.stringify([a, b, c]));
  });

  it('labelInk is white on dark colours and dark on light ones', () => {
    assert.deepEqual(labelInk([40, 40, 160]), [255, 255, 255]);
    const dark = labelInk([230, 230, 60]);
    assert.ok(dark[0] < 64 && dark[1] < 64 && dark[2] < 64);
  });
});

describe('digitFont', () => {
  it('has a distinct glyph of GLYPH_WIDTH x GLYPH_HEIGHT for every digit', () => {
    const seen = new Set<string>();
    for (let d = 0; d <= 9; d++) {
      const rows = glyph(d);
      assert.equal(rows.length, GLYPH_HEIGHT);
      for (const row of rows) assert.match(row, new RegExp(`^[#.]{${GLYPH_WIDTH}}$`));
      seen.add(rows.join('/'));
    }
    assert.equal(seen.size, 10);
    assert.throws(() => glyph(10), RangeError);
  });

  it('sets digits side by side with a gap, each font pixel scale x scale', () => {
    const scale = 2;
    const b = digitsBitmap('47', scale);
    assert.equal(b.width, (2 * GLYPH_WIDTH + GLYPH_GAP) * scale);
    assert.equal(b.height, GLYPH_HEIGHT * scale);
    for (let y = 0; y < b.height; y++) {
      for (let x = 0; x < b.width; x++) {
        const gx = Math.floor(x / scale);
        const gy = Math.floor(y / scale);
        const k = Math.floor(gx / (GLYPH_WIDTH + GLYPH_GAP));
        const col = gx % (GLYPH_WIDTH + GLYPH_GAP);
        const ink = col < GLYPH_WIDTH && glyph([4, 7][k])[gy][col] === '#' ? 1 : 0;
        assert.equal(b.bits[y * b.width + x], ink, `(${x}, ${y})`);
      }
    }
    assert.notDeepEqual(digitsBitmap('12').bits, digitsBitmap('21').bits);
    assert.throws(() => digitsBitmap('1a'), RangeError);
    assert.throws(() => digitsBitmap(''), RangeError);
  });
});
