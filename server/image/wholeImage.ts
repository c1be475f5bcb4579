// An image file read for copying: its bytes, once, and its size, after checking that the file
// is whole.  A PNG is checked by its structure and every chunk's CRC-32 (pngCheck.ts) rather
// than decoded; any other format is decoded in full, as its data carries no checksum.
import { UserError } from '../util/errors';
import { checkPngStructure, hasPngSignature } from './pngCheck';
import { checkPixelLimit, maxPixels } from './pixelLimit';
import { decodeSamples, imageMetadata, readImageBytes } from './source';

export interface WholeImage {
  bytes: Buffer;
  width: number;
  height: number;
}

/**
 * Errors (UserError) name the file; an image over the pixel limit is refused from its header.
 * `blocking`: the file is read with blocking calls (in a worker thread; see readImageBytes).
 */
export async function readWholeImage(file: string, options: { maxPixels?: number; blocking?: boolean } = {}): Promise<WholeImage> {
  const limit = options.maxPixels ?? maxPixels();
  const bytes = await readImageBytes(file, 'image', options.blocking);
  if (hasPngSignature(bytes)) {
    let header;
    try {
      header = checkPngStructure(bytes);
    } catch (err) {
      throw new UserError(`corrupt or truncated image (${(err as Error).message})`, file);
    }
    checkPixelLimit(file, header.width, header.height, limit);
    return { bytes, width: header.width, height: header.height };
  }
  const metadata = await imageMetadata(file, bytes, limit);
  await decodeSamples(file, bytes, metadata, limit);
  return { bytes, width: metadata.width, height: metadata.height };
}
