// Image and mask files from raw pixels.  Fixed encoder settings keep the bytes identical
// for identical pixels.
import sharp from 'sharp';

/** JPEG quality of the synthetic images; full-resolution chroma keeps small coloured specks. */
const JPEG_QUALITY = 92;

export async function encodeRgb(rgb: Uint8Array, size: number, format: 'jpeg' | 'png'): Promise<Buffer> {
  const image = sharp(rgb, { raw: { width: size, height: size, channels: 3 } });
  return format === 'jpeg' ? image.jpeg({ quality: JPEG_QUALITY, chromaSubsampling: '4:4:4' }).toBuffer() : image.png().toBuffer();
}

/** An 8-bit greyscale PNG whose grey values are the class values. */
export async function encodeMask(mask: Uint8Array, size: number): Promise<Buffer> {
  return sharp(mask, { raw: { width: size, height: size, channels: 1 } }).toColourspace('b-w').png().toBuffer();
}
