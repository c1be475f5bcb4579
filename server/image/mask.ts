import type { LabelMask } from '../masks/types';
import { UserError, errorMessage } from '../util/errors';
import { decodePlainGreyPng, plainGreyPngHeader } from './greyPngDecode';
import { maskChannel } from './maskChannel';
import { pngStoredValues } from './pngIndices';
import { checkPixelLimit, maxPixels } from './pixelLimit';
import { decodeSamples, imageMetadata, readImageBytes } from './source';

export interface ReadMaskOptions {
  /**
   * Values strictly above the threshold are anomaly, on the file's own scale (0–255, or
   * 0–65535 for 16-bit).  Default 0, except JPEG masks: 127, because lossy compression
   * scatters small non-zero values around every edge.
   */
  threshold?: number;
  /**
   * Keep the raw values as class ids instead of binarising to 0/1 (values at or below the
   * threshold still become 0).  Palette PNGs give their palette indices.
   */
  classIds?: boolean;
  /** Refuse masks with more pixels (checked from the header); default: pixelLimit.ts's limit. */
  maxPixels?: number;
  /** Decode every file with the general decoder (libvips), as the build's benchmark reference does. */
  generalDecoder?: boolean;
  /** Read the file with blocking calls, in a worker thread (see readImageBytes). */
  blocking?: boolean;
}

export interface MaskReadResult {
  mask: LabelMask;
  /** Pixels above the threshold (the anomaly). */
  foreground: number;
  /** Those pixels (indices y*width+x), ascending: what splitMask would otherwise gather again. */
  pixels: Int32Array;
  /** Distinct raw values found (sorted), for validation and class-id masks. */
  distinctValues: number[];
  /** Non-fatal findings, e.g. values that are neither background nor foreground. */
  warnings: string[];
}

export const JPEG_MASK_THRESHOLD = 127;

interface Scan {
  values: Uint16Array;
  /** Pixels above the threshold, ascending. */
  pixels: Int32Array;
  distinct: number[];
  counts: Map<number, number>;
}

const ZERO_BLOCK_WORDS = 128;
const ZERO_BLOCK = Buffer.alloc(ZERO_BLOCK_WORDS * 8);

/** Where a raw buffer's values lie: row y's `width` values from `y * stride + skip`; every other element is 0. */
interface RawLayout {
  width: number;
  height: number;
  stride: number;
  skip: number;
}

/**
 * One pass over the raw values: how many pixels hold each value, the mask (values above the
 * threshold: the value itself for class ids, else 1) and the list of its pixels.  Zeros, most
 * of a mask, are skipped eight bytes at a time by reading them as one float64: all-zero lanes
 * read as +0, and -0 (the sign bit alone, in the last lane) is told apart by that lane (as
 * maskClasses.ts does).
 */
function scanValues(raw: Uint8Array | Uint16Array, layout: RawLayout, threshold: number, classIds: boolean): Scan {
  const { width, height, stride, skip } = layout;
  const pixelCount = width * height;
  const seen = new Uint32Array(raw.BYTES_PER_ELEMENT === 1 ? 256 : 65536);
  const values = new Uint16Array(pixelCount);
  let pixels = new Int32Array(Math.min(pixelCount, 1 << 16));
  let nonZero = 0;
  let foreground = 0;
  // Pixel index = place - shift, shift being that of the row that ends before rowEnd.
  let rowEnd = 0;
  let shift = 0;
  const visit = (from: number, to: number) => {
    for (let p = from; p < to; p++) {
      const v = raw[p];
      if (v === 0) continue;
      seen[v]++;
      nonZero++;
      if (v > threshold) {
        if (p >= rowEnd) {
          const y = Math.floor(p / stride);
          rowEnd = (y + 1) * stride;
          shift = y * (stride - width) + skip;
        }
        const i = p - shift;
        values[i] = classIds ? v : 1;
        if (foreground === pixels.length) {
          const grown = new Int32Array(Math.min(pixelCount, 2 * pixels.length));
          grown.set(pixels);
          pixels = grown;
        }
        pixels[foreground++] = i;
      }
    }
  };
  const lanes = 8 / raw.BYTES_PER_ELEMENT;
  // The values before the first whole aligned word, the words, and the values past the last one.
  const head = Math.min(raw.length, ((8 - (raw.byteOffset % 8)) % 8) / raw.BYTES_PER_ELEMENT);
  const words = new Float64Array(raw.buffer, raw.byteOffset + head * raw.BYTES_PER_ELEMENT, Math.floor((raw.length - head) / lanes));
  const bytes = Buffer.from(words.buffer, words.byteOffset, words.byteLength);
  visit(0, head);
  // Blocks of zeros, whole rows of them in most masks, are passed over by one comparison each.
  for (let block = 0; block < words.length; block += ZERO_BLOCK_WORDS) {
    const end = Math.min(block + ZERO_BLOCK_WORDS, words.length);
    if (ZERO_BLOCK.compare(bytes, block * 8, end * 8, 0, (end - block) * 8) === 0) continue;
    for (let w = block; w < end; w++) {
      const to = head + (w + 1) * lanes;
      if (words[w] === 0 && raw[to - 1] === 0) continue;
      visit(to - lanes, to);
    }
  }
  visit(head + words.length * lanes, raw.length);
  seen[0] = pixelCount - nonZero;
  const distinct: number[] = [];
  const counts = new Map<number, number>();
  for (let v = 0; v < seen.length; v++) {
    if (seen[v] === 0) continue;
    distinct.push(v);
    counts.set(v, seen[v]);
  }
  return { values, pixels: pixels.subarray(0, foreground), distinct, counts };
}

function listValues(values: number[]): string {
  const shown = values.slice(0, 8).join(', ');
  return values.length > 8 ? `${shown}, … ${values.length - 8} more` : shown;
}

/** A binary mask holds background (0) and one foreground level; anything else is reported. */
function binaryWarning(file: string, distinct: number[], counts: Map<number, number>, threshold: number, jpeg: boolean): string | undefined {
  const top = distinct[distinct.length - 1];
  const stray = distinct.filter((v) => v !== 0 && v !== top);
  if (stray.length === 0) return undefined;
  const pixels = stray.reduce((sum, v) => sum + (counts.get(v) ?? 0), 0);
  const cause = jpeg
    ? ' (JPEG compression alters mask values; masks are best saved as PNG)'
    : stray.length <= 16
      ? ' (if the values are class ids, read the mask with class ids)'
      : '';
  return `${file}: not a binary mask: ${pixels} pixel(s) hold values other than 0 and ${top} (values: ${listValues(distinct)}); values above ${threshold} are taken as anomaly${cause}`;
}

/**
 * Reads a mask in any format (1/8/16-bit, palette, RGB(A), JPEG); errors (UserError) name the
 * file.  How colour and alpha become one value per pixel: see maskChannel.ts.  A plain 8-bit
 * grey PNG, the usual mask, is decoded in this thread (greyPngDecode.ts); any other file, or
 * one that path does not take, goes through the general decoder.
 */
export async function readMask(file: string, options: ReadMaskOptions = {}): Promise<MaskReadResult> {
  const classIds = options.classIds ?? false;
  const limit = options.maxPixels ?? maxPixels();
  const bytes = await readImageBytes(file, 'image', options.blocking);
  const plain = options.generalDecoder ? undefined : plainGreyPngHeader(bytes);
  if (plain) {
    checkPixelLimit(file, plain.width, plain.height, limit);
    const samples = decodePlainGreyPng(bytes, plain);
    if (samples) return fromValues(file, { width: plain.width, height: plain.height, stride: plain.width + 1, skip: 1 }, samples, options.threshold ?? 0, classIds, false, []);
  }
  const metadata = await imageMetadata(file, bytes, limit);
  const samples = await decodeSamples(file, bytes, metadata, limit);
  const jpeg = metadata.format === 'jpeg';
  const threshold = options.threshold ?? (jpeg ? JPEG_MASK_THRESHOLD : 0);
  const warnings: string[] = [];

  let raw: Uint8Array | Uint16Array;
  const lowDepth = (metadata.bitsPerSample ?? 8) < 8;
  if (classIds && metadata.format === 'png' && (metadata.isPalette || lowDepth)) {
    raw = pngStoredValues(file, bytes, limit);
  } else if (samples.channels === 1) {
    raw = samples.data;
  } else {
    let channel;
    try {
      channel = maskChannel(samples, classIds);
    } catch (err) {
      throw new UserError(errorMessage(err), file);
    }
    raw = channel.values;
    for (const note of channel.notes) warnings.push(`${file}: ${note}`);
  }

  const { width, height } = samples;
  return fromValues(file, { width, height, stride: width, skip: 0 }, raw, threshold, classIds, jpeg, warnings);
}

/** The mask of one raw value per pixel, with its counts and warnings. */
function fromValues(file: string, layout: RawLayout, raw: Uint8Array | Uint16Array, threshold: number, classIds: boolean, jpeg: boolean, warnings: string[]): MaskReadResult {
  const { values, pixels, distinct, counts } = scanValues(raw, layout, threshold, classIds);
  if (!classIds) {
    const warning = binaryWarning(file, distinct, counts, threshold, jpeg);
    if (warning) warnings.push(warning);
  } else if (jpeg) {
    warnings.push(`${file}: JPEG mask read as class ids: lossy compression alters the values (${distinct.length} distinct); masks are best saved as PNG`);
  }
  return { mask: { width: layout.width, height: layout.height, values }, foreground: pixels.length, pixels, distinctValues: distinct, warnings };
}
