// Loading an image file for decoding: the bytes, the header and the decoded samples, with
// every failure turned into a UserError that names the file and the problem.
import type { Metadata, OutputInfo, Sharp } from 'sharp';
import { UserError, errorMessage } from '../util/errors';
import { libvips } from './libvips';
import { checkPixelLimit, maxPixels } from './pixelLimit';
import { readRegularFile, readRegularFileSync } from './regularFile';

export interface Samples {
  width: number;
  height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. */
  channels: number;
  depth: 8 | 16;
  /** Interleaved samples, row-major. */
  data: Uint8Array | Uint16Array;
}

/**
 * The file's bytes; a FIFO, device or folder is refused before it is opened (see
 * regularFile.ts).  `blocking`: read with blocking calls (readRegularFileSync), in a worker thread.
 */
export async function readImageBytes(file: string, what = 'image', blocking = false): Promise<Buffer> {
  const bytes = blocking ? readRegularFileSync(file, what) : await readRegularFile(file, what);
  if (bytes.length === 0) throw new UserError('empty file (0 bytes), not an image', file);
  return bytes;
}

/**
 * Decoding aborts on corrupt or truncated data and, as a second guard behind the header
 * check, on images over the pixel limit; sample values are taken as stored (no ICC conversion).
 */
function open(bytes: Buffer, limit: number | false): Sharp {
  return libvips()(bytes, { failOn: 'error', ignoreIcc: true, limitInputPixels: limit });
}

/** The decoder's message without the repeats libvips piles up. */
function decoderMessage(err: unknown): string {
  const lines = errorMessage(err).split('\n').map((line) => line.trim()).filter(Boolean);
  return [...new Set(lines)].join('; ');
}

/** The header, read without decoding pixels; an image over the pixel limit is refused here. */
export async function imageMetadata(file: string, bytes: Buffer, limit: number = maxPixels()): Promise<Metadata> {
  let metadata: Metadata;
  try {
    metadata = await open(bytes, false).metadata();
  } catch (err) {
    const message = decoderMessage(err);
    if (/unsupported image format/i.test(message)) throw new UserError('not an image (no image format recognised in its content)', file);
    throw new UserError(`corrupt or truncated image (${message})`, file);
  }
  checkPixelLimit(file, metadata.width, metadata.height, limit);
  return metadata;
}

export function bitDepth(metadata: Metadata): 8 | 16 {
  return metadata.depth === 'uchar' || metadata.depth === 'char' ? 8 : 16;
}

/**
 * Decodes every pixel: one channel stays one channel (grey or grey16), anything else comes
 * as RGB or RGBA, at the file's own depth (8 or 16 bits).
 */
export async function decodeSamples(file: string, bytes: Buffer, metadata: Metadata, limit: number = maxPixels()): Promise<Samples> {
  checkPixelLimit(file, metadata.width, metadata.height, limit);
  const depth = bitDepth(metadata);
  const grey = metadata.channels === 1 && !metadata.isPalette;
  const space = grey ? (depth === 16 ? 'grey16' : 'b-w') : depth === 16 ? 'rgb16' : 'srgb';
  let result: { data: Buffer; info: OutputInfo };
  try {
    result = await open(bytes, limit)
      .toColourspace(space)
      .raw({ depth: depth === 16 ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new UserError(`corrupt or truncated image (${decoderMessage(err)})`, file);
  }
  const { data, info } = result;
  const samples =
    depth === 16
      ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
      : new Uint8Array(data.buffer, data.byteOffset, data.length);
  return { width: info.width, height: info.height, channels: info.channels, depth, data: samples };
}
