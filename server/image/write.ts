import type { LabelMask } from '../masks/types';
import { writeFileAtomic } from '../util/atomicWrite';
import { binaryPng, greyPng } from './greyPng';
import { libvips } from './libvips';

/** A 0/255 8-bit greyscale PNG with the given pixels (indices y*width+x) at 255. */
export async function regionPng(width: number, height: number, pixels: Uint32Array): Promise<Buffer> {
  return binaryPng(width, height, pixels);
}

/**
 * The same picture as regionPng, encoded by libvips (adaptive filters, full deflate): how
 * region masks were written before, kept as the reference the build benchmark measures
 * against.  The bytes differ; the pixels do not.
 */
export async function regionPngLibvips(width: number, height: number, pixels: Uint32Array): Promise<Buffer> {
  const size = width * height;
  const grey = Buffer.alloc(size);
  for (let k = 0; k < pixels.length; k++) {
    const i = pixels[k];
    if (i >= size) throw new RangeError(`pixel index ${i} outside a ${width}x${height} image`);
    grey[i] = 255;
  }
  return libvips()(grey, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().toBuffer();
}

/** Writes a 0/255 8-bit greyscale PNG of one region (pixel indices y*width+x), atomically. */
export async function writeRegionPng(file: string, width: number, height: number, pixels: Uint32Array): Promise<void> {
  await writeFileAtomic(file, await regionPng(width, height, pixels));
}

/** Writes a mask's values as a greyscale PNG, 8-bit when they fit, else 16-bit, atomically. */
export async function writeLabelMaskPng(file: string, mask: LabelMask): Promise<void> {
  const { width, height, values } = mask;
  let top = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > top) top = values[i];
  const png =
    top <= 255
      ? greyPng(width, height, Uint8Array.from(values))
      : await libvips()(values, { raw: { width, height, channels: 1 } }).toColourspace('grey16').png().toBuffer();
  await writeFileAtomic(file, png);
}
