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
}

export interface MaskReadResult {
  mask: LabelMask;
  /** Pixels above the threshold (the anomaly). */
  foreground: number;
  /** Distinct raw values found (sorted), for validation and class-id masks. */
  distinctValues: number[];
  /** Non-fatal findings, e.g. values that are neither background nor foreground. */
  warnings: string[];
}

export const JPEG_MASK_THRESHOLD = 127;

interface Scan {
  values: Uint16Array;
  /** Pixels above the threshold. */
  foreground: number;
  distinct: number[];
  counts: Map<number, number>;
}

/**
 * One pass over the raw values: how many pixels hold each value, and the mask (values above
 * the threshold: the value itself for class ids, else 1).  Zeros, most of a mask, are skipped
 * eight bytes at a time by reading them as one float64: all-zero lanes read as +0, and -0
 * (the sign bit alone, in the last lane) is told apart by that lane (as maskClasses.ts does).
 */
function scanValues(raw: Uint8Array | Uint16Array, threshold: number, classIds: boolean): Scan {
  const seen = new Uint32Array(65536);
  const values = new Uint16Array(raw.length);
  const lanes = 8 / raw.BYTES_PER_ELEMENT;
  let nonZero = 0;
  let foreground = 0;
  const words = raw.byteOffset % 8 === 0 ? new Float64Array(raw.buffer, raw.byteOffset, Math.floor(raw.length / lanes)) : new Float64Array(0);
  // Word by word, then the values past the last whole word.
  for (let w = 0; w <= words.length; w++) {
    const from = w * lanes;
    let to = from + lanes;
    if (w === words.length) to = raw.length;
    else if (words[w] === 0 && raw[to - 1] === 0) continue;
    for (let i = from; i < to; i++) {
      const v = raw[i];
      if (v === 0) continue;
      seen[v]++;
      nonZero++;
      if (v > threshold) {
        values[i] = classIds ? v : 1;
        foreground++;
      }
    }
  }
  seen[0] = raw.length - nonZero;
  const distinct: number[] = [];
  const counts = new Map<number, number>();
  for (let v = 0; v < seen.length; v++) {
    if (seen[v] === 0) continue;
    distinct.push(v);
    counts.set(v, seen[v]);
  }
  return { values, foreground, distinct, counts };
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
  const bytes = await readImageBytes(file);
  const plain = options.generalDecoder ? undefined : plainGreyPngHeader(bytes);
  if (plain) {
    checkPixelLimit(file, plain.width, plain.height, limit);
    const samples = decodePlainGreyPng(bytes, plain);
    if (samples) return fromValues(file, plain, samples, options.threshold ?? 0, classIds, false, []);
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

  return fromValues(file, samples, raw, threshold, classIds, jpeg, warnings);
}

/** The mask of one raw value per pixel, with its counts and warnings. */
function fromValues(file: string, size: { width: number; height: number }, raw: Uint8Array | Uint16Array, threshold: number, classIds: boolean, jpeg: boolean, warnings: string[]): MaskReadResult {
  const { values, foreground, distinct, counts } = scanValues(raw, threshold, classIds);
  if (!classIds) {
    const warning = binaryWarning(file, distinct, counts, threshold, jpeg);
    if (warning) warnings.push(warning);
  } else if (jpeg) {
    warnings.push(`${file}: JPEG mask read as class ids: lossy compression alters the values (${distinct.length} distinct); masks are best saved as PNG`);
  }
  return { mask: { width: size.width, height: size.height, values }, foreground, distinctValues: distinct, warnings };
}
