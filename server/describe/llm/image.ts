// The example image as a data: URL for the request, scaled down so that it costs few tokens.
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { errorMessage } from '../../util/errors';

export interface ExampleImage {
  dataURL: string;
  /** SHA-256 of the file's bytes: the cache key names the image by its content. */
  sha256: string;
}

const PASS_THROUGH: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png' };

/** Reads an image; JPEG and PNG within `maxSide` go as they are, anything else as a JPEG that fits. */
export async function readExampleImage(file: string, maxSide: number): Promise<ExampleImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new Error(`cannot read the example image ${file}: ${errorMessage(err)}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  try {
    const meta = await sharp(bytes).metadata();
    const mime = PASS_THROUGH[meta.format ?? ''];
    const upright = (meta.orientation ?? 1) === 1;
    if (mime && upright && (meta.width ?? Infinity) <= maxSide && (meta.height ?? Infinity) <= maxSide) {
      return { dataURL: `data:${mime};base64,${bytes.toString('base64')}`, sha256 };
    }
    const scaled = await sharp(bytes)
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 90 })
      .toBuffer();
    return { dataURL: `data:image/jpeg;base64,${scaled.toString('base64')}`, sha256 };
  } catch (err) {
    throw new Error(`cannot decode the example image ${file}: ${errorMessage(err)}`);
  }
}
