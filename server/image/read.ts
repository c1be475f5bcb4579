import { maxPixels } from './pixelLimit';
import { bitDepth, decodeSamples, imageMetadata, readImageBytes } from './source';

export interface ImageInfo {
  width: number;
  height: number;
  channels: number;
  /** Bits per sample (8 or 16). */
  depth: number;
  format: string;
}

/**
 * Reads an image's header and decodes every pixel, so that a truncated or corrupt file is
 * found here rather than later; errors (UserError) name the file.  Width and height are as
 * stored: the EXIF orientation is not applied, as mask tools do not apply it either.  An image
 * over the pixel limit (options.maxPixels, else pixelLimit.ts's default) is refused from its header.
 */
export async function readImageInfo(file: string, options: { maxPixels?: number } = {}): Promise<ImageInfo> {
  const limit = options.maxPixels ?? maxPixels();
  const bytes = await readImageBytes(file);
  const metadata = await imageMetadata(file, bytes, limit);
  await decodeSamples(file, bytes, metadata, limit);
  return {
    width: metadata.width,
    height: metadata.height,
    channels: metadata.channels,
    depth: bitDepth(metadata),
    format: metadata.format,
  };
}
