// A small PNG of an image with its regions outlined, each in the colour the mask editor gives
// its id and labelled with that id, for hovers.  The pixel work (scaling masks, outlines,
// labels) is done on raw buffers by the exported pure functions; sharp only decodes, crops,
// resizes the image and encodes the PNG.
import sharp from 'sharp';
import { readMask } from '../image/mask';
import { maxPixels } from '../image/pixelLimit';
import { decodeSamples, imageMetadata, readImageBytes, type Samples } from '../image/source';
import { regionColour } from '../masks/regionColour';
import { UserError } from '../util/errors';
import { GLYPH_GAP, GLYPH_HEIGHT, GLYPH_WIDTH, digitsBitmap } from './digitFont';

/** A region's mask in memory: row-major, any non-zero value is the region. */
export interface MaskPixels {
  width: number;
  height: number;
  values: ArrayLike<number>;
}

export interface ThumbnailRegion {
  /** The region's mask, image-sized: the absolute path of its file, or its pixels; any non-zero pixel is the region. */
  mask: string | MaskPixels;
  /**
   * The number drawn on the region and the id its colour is taken from: the mask editor's id,
   * i + 1 for the i-th region of a record, so both show a region in the same colour.
   */
  id: number;
}

export interface ThumbnailOptions {
  /** Longest side of the thumbnail in pixels; default 256.  A smaller whole image keeps its size. */
  maxSize?: number;
  /** Crop around this region (by id), enlarged to maxSize, and outline only it. */
  focus?: number;
}

export interface Thumbnail {
  png: Buffer;
  width: number;
  height: number;
}

export const DEFAULT_THUMBNAIL_SIZE = 256;
/** Font pixels are drawn this many thumbnail pixels wide. */
export const LABEL_SCALE = 2;
/** Space between the label's box and its digits, in font pixels. */
const LABEL_PADDING = 1;

type Rgb = readonly [number, number, number];
const WHITE: Rgb = [255, 255, 255];
const INK_DARK: Rgb = [20, 20, 20];
type Size = { width: number; height: number };
type Point = { x: number; y: number };

/** `[x, y, width, height]`, as region boxes are written everywhere else. */
export type Bbox = [number, number, number, number];

/** A rectangle of the image, as sharp's extract takes it. */
export interface Crop {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The tightest box around the non-zero values of a row-major mask; undefined when all are zero. */
export function maskBounds(mask: ArrayLike<number>, width: number): Bbox | undefined {
  const height = mask.length / width;
  let top = -1;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = 0;
    while (first < width && mask[row + first] === 0) first++;
    if (first === width) continue;
    let last = width - 1;
    while (mask[row + last] === 0) last--;
    if (top < 0) top = y;
    bottom = y;
    left = Math.min(left, first);
    right = Math.max(right, last);
  }
  return top < 0 ? undefined : [left, top, right - left + 1, bottom - top + 1];
}

/** The box grown by a quarter of its size (at least 8 pixels) on every side, kept inside the image. */
export function focusCrop(bbox: Bbox, imageWidth: number, imageHeight: number): Crop {
  const [x, y, w, h] = bbox;
  const mx = Math.max(8, Math.round(w * 0.25));
  const my = Math.max(8, Math.round(h * 0.25));
  const left = Math.max(0, x - mx);
  const top = Math.max(0, y - my);
  return { left, top, width: Math.min(imageWidth, x + w + mx) - left, height: Math.min(imageHeight, y + h + my) - top };
}

/** Thumbnail size for a crop: its longest side maxSize (a whole image is never enlarged). */
export function thumbnailSize(crop: Crop, maxSize: number, enlarge: boolean): Size {
  const longest = Math.max(crop.width, crop.height);
  const scale = enlarge ? maxSize / longest : Math.min(1, maxSize / longest);
  return { width: Math.max(1, Math.round(crop.width * scale)), height: Math.max(1, Math.round(crop.height * scale)) };
}

/** For each output index, the source range [start, end) it covers along one axis. */
function footprints(size: number, out: number): Int32Array {
  const r = size / out;
  const spans = new Int32Array(out * 2);
  for (let t = 0; t < out; t++) {
    const start = Math.min(size - 1, Math.floor(t * r));
    spans[2 * t] = start;
    spans[2 * t + 1] = Math.min(size, Math.max(start + 1, Math.ceil((t + 1) * r)));
  }
  return spans;
}

/**
 * The `crop` of a mask scaled to outWidth x outHeight: an output pixel is set (1) when any mask
 * pixel it covers is non-zero.  Unlike nearest-neighbour sampling this never drops a region,
 * nor breaks a one-pixel scratch into dots, however far it is shrunk.
 */
export function scaleMask(mask: ArrayLike<number>, width: number, crop: Crop, outWidth: number, outHeight: number): Uint8Array {
  const xs = footprints(crop.width, outWidth);
  const ys = footprints(crop.height, outHeight);
  const rows = new Uint8Array(outWidth * crop.height);
  for (let y = 0; y < crop.height; y++) {
    const src = (crop.top + y) * width + crop.left;
    for (let t = 0; t < outWidth; t++) {
      for (let x = xs[2 * t]; x < xs[2 * t + 1]; x++) {
        if (mask[src + x] !== 0) {
          rows[y * outWidth + t] = 1;
          break;
        }
      }
    }
  }
  const out = new Uint8Array(outWidth * outHeight);
  for (let t = 0; t < outHeight; t++) {
    for (let y = ys[2 * t]; y < ys[2 * t + 1]; y++) {
      const row = y * outWidth;
      for (let x = 0; x < outWidth; x++) if (rows[row + x]) out[t * outWidth + x] = 1;
    }
  }
  return out;
}

/**
 * The pixels on both sides of the mask's edge (a pixel whose 4-neighbour is on the other side;
 * mask pixels on the image border count as edge), so the line is 2 pixels thick and a region
 * of a single pixel still shows as a small cross.
 */
export function outlinePixels(mask: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const m = mask[i] !== 0;
      const edge = m
        ? x === 0 || y === 0 || x === width - 1 || y === height - 1 || !mask[i - 1] || !mask[i + 1] || !mask[i - width] || !mask[i + width]
        : (x > 0 && !!mask[i - 1]) || (x < width - 1 && !!mask[i + 1]) || (y > 0 && !!mask[i - width]) || (y < height - 1 && !!mask[i + width]);
      if (edge) out[i] = 1;
    }
  }
  return out;
}

/** Sets every pixel where `where` is non-zero to `colour` in an RGB buffer. */
export function paintPixels(rgb: Uint8Array, where: Uint8Array, colour: Rgb): void {
  for (let i = 0; i < where.length; i++) {
    if (where[i] === 0) continue;
    rgb[3 * i] = colour[0];
    rgb[3 * i + 1] = colour[1];
    rgb[3 * i + 2] = colour[2];
  }
}

/** Width and height of the label box drawn for `id`. */
export function labelSize(id: number): Size {
  const columns = String(id).length * (GLYPH_WIDTH + GLYPH_GAP) - GLYPH_GAP;
  return { width: (columns + 2 * LABEL_PADDING) * LABEL_SCALE, height: (GLYPH_HEIGHT + 2 * LABEL_PADDING) * LABEL_SCALE };
}

/** Labels closer than this are read as one number. */
const LABEL_SPACING = 2;

type Rect = Point & Size;

function intersects(a: Rect, b: Rect, gap = 0): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

/**
 * Top-left corners for the labels of regions with thumbnail boxes `bbox`, in order: a label
 * sits on top of its box's top-left corner, as a tag, so that it hides no small region; else
 * below, left of or right of the box, or inside its top-left corner: the first place, moved
 * inside the thumbnail, that covers neither the outlined box nor a label placed before (then
 * one that covers no label, then the first).
 */
export function placeLabels(labels: readonly { bbox: Bbox; size: Size }[], width: number, height: number): Point[] {
  const placed: Rect[] = [];
  for (const { bbox: [x, y, w, h], size } of labels) {
    // The outline runs one pixel outside the box.
    const outlined = { x: x - 1, y: y - 1, width: w + 2, height: h + 2 };
    const candidates: Rect[] = [
      [x - 1, y - 1 - size.height],
      [x - 1, y + h + 1],
      [x - 1 - size.width, y - 1],
      [x + w + 1, y - 1],
      [x, y],
    ].map(([cx, cy]) => ({
      x: Math.max(0, Math.min(cx, width - size.width)),
      y: Math.max(0, Math.min(cy, height - size.height)),
      ...size,
    }));
    const clear = (c: Rect) => placed.every((p) => !intersects(c, p, LABEL_SPACING));
    const at = candidates.find((c) => clear(c) && !intersects(c, outlined)) ?? candidates.find(clear) ?? candidates[0];
    placed.push(at);
  }
  return placed.map(({ x, y }) => ({ x, y }));
}

function luminance(colour: Rgb): number {
  const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(colour[0]) + 0.7152 * linear(colour[1]) + 0.0722 * linear(colour[2]);
}

/** White digits, or near-black ones on the light colours where white would hardly show (WCAG contrast). */
export function labelInk(colour: Rgb): Rgb {
  const l = luminance(colour);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? WHITE : INK_DARK;
}

/** The id in digits on a box of `colour` with its top-left at (x, y), clipped to the buffer. */
export function drawLabel(rgb: Uint8Array, width: number, height: number, id: number, x: number, y: number, colour: Rgb): void {
  if (!Number.isInteger(id) || id < 0) throw new RangeError(`region id ${id}: expected a whole number >= 0`);
  const size = labelSize(id);
  const text = digitsBitmap(String(id), LABEL_SCALE);
  const pad = LABEL_PADDING * LABEL_SCALE;
  const ink = labelInk(colour);
  for (let dy = 0; dy < size.height; dy++) {
    const py = y + dy;
    if (py < 0 || py >= height) continue;
    for (let dx = 0; dx < size.width; dx++) {
      const px = x + dx;
      if (px < 0 || px >= width) continue;
      const tx = dx - pad;
      const ty = dy - pad;
      const c = tx >= 0 && ty >= 0 && tx < text.width && ty < text.height && text.bits[ty * text.width + tx] === 1 ? ink : colour;
      const o = 3 * (py * width + px);
      rgb[o] = c[0];
      rgb[o + 1] = c[1];
      rgb[o + 2] = c[2];
    }
  }
}

/** 8-bit RGB from decoded samples: grey is repeated, 16-bit scaled down, alpha composited over black. */
export function toRgb8(samples: Samples): Uint8Array {
  const { width, height, channels, depth, data } = samples;
  if (depth === 8 && channels === 3) return data as Uint8Array;
  const n = width * height;
  const out = new Uint8Array(n * 3);
  const max = depth === 16 ? 65535 : 255;
  const colour = channels >= 3 ? 3 : 1;
  const alpha = channels === 2 || channels === 4;
  for (let i = 0; i < n; i++) {
    const s = i * channels;
    const a = alpha ? data[s + colour] / max : 1;
    for (let c = 0; c < 3; c++) out[3 * i + c] = Math.round((data[s + (colour === 3 ? c : 0)] / max) * a * 255);
  }
  return out;
}

async function readRegionMask(source: string | MaskPixels, width: number, height: number): Promise<ArrayLike<number>> {
  const mask = typeof source === 'string' ? (await readMask(source)).mask : source;
  if (mask.width !== width || mask.height !== height) {
    throw new UserError(`the region mask is ${mask.width}x${mask.height}, the image ${width}x${height}`, typeof source === 'string' ? source : undefined);
  }
  return mask.values;
}

/**
 * Renders the thumbnail of `image` with `regions` outlined and numbered; with `focus`, only
 * that region, zoomed to fill the thumbnail.  Unreadable, special or oversized files, and
 * masks of another size than the image, give a UserError naming the file.
 */
export async function renderThumbnail(image: string, regions: readonly ThumbnailRegion[], options: ThumbnailOptions = {}): Promise<Thumbnail> {
  const maxSize = options.maxSize ?? DEFAULT_THUMBNAIL_SIZE;
  if (!Number.isInteger(maxSize) || maxSize < 1) throw new RangeError(`maxSize ${maxSize}: expected a whole number >= 1`);
  const shown = options.focus === undefined ? regions : regions.filter((r) => r.id === options.focus);
  if (options.focus !== undefined && shown.length === 0) throw new RangeError(`no region ${options.focus} among the regions given`);

  const limit = maxPixels();
  const bytes = await readImageBytes(image);
  const metadata = await imageMetadata(image, bytes, limit);
  const [samples, masks] = await Promise.all([
    decodeSamples(image, bytes, metadata, limit),
    Promise.all(shown.map((r) => readRegionMask(r.mask, metadata.width, metadata.height))),
  ]);
  const { width, height } = samples;

  const focusBox = options.focus === undefined ? undefined : maskBounds(masks[0], width);
  const crop = focusBox ? focusCrop(focusBox, width, height) : { left: 0, top: 0, width, height };
  const size = thumbnailSize(crop, maxSize, focusBox !== undefined);

  let pipeline = sharp(toRgb8(samples), { raw: { width, height, channels: 3 }, limitInputPixels: false });
  if (crop.width !== width || crop.height !== height) pipeline = pipeline.extract(crop);
  if (size.width !== crop.width || size.height !== crop.height) pipeline = pipeline.resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' });
  const rgb = await pipeline.raw().toBuffer();

  const labels: { id: number; box: Bbox }[] = [];
  shown.forEach((region, k) => {
    const scaled = scaleMask(masks[k], width, crop, size.width, size.height);
    const box = maskBounds(scaled, size.width);
    if (!box) return;
    paintPixels(rgb, outlinePixels(scaled, size.width, size.height), regionColour(region.id));
    labels.push({ id: region.id, box });
  });
  const corners = placeLabels(labels.map((l) => ({ bbox: l.box, size: labelSize(l.id) })), size.width, size.height);
  labels.forEach(({ id }, k) => drawLabel(rgb, size.width, size.height, id, corners[k].x, corners[k].y, regionColour(id)));

  const png = await sharp(rgb, { raw: { ...size, channels: 3 } }).png({ palette: true, quality: 90, effort: 7, dither: 0 }).toBuffer();
  return { png, ...size };
}

export function thumbnailDataUrl(t: Thumbnail): string {
  return `data:image/png;base64,${t.png.toString('base64')}`;
}
