// Thumbnails for the HTML report: the image, scaled down, with one region outlined in white,
// as a small JPEG data: URI (the report carries no external resources).
import sharp from 'sharp';
import { decodeMask, decodeRgb } from '../../model/preprocess';
import { maxPool, outline } from './contour';

export interface Thumbnail {
  dataUri: string;
  width: number;
  height: number;
}

export async function regionThumbnail(imageFile: string, maskFile: string, maxSide = 224): Promise<Thumbnail> {
  const [rgb, mask] = await Promise.all([decodeRgb(imageFile), decodeMask(maskFile)]);
  const scale = Math.min(1, maxSide / Math.max(rgb.width, rgb.height));
  const width = Math.max(1, Math.round(rgb.width * scale));
  const height = Math.max(1, Math.round(rgb.height * scale));
  const { data } = await sharp(Buffer.from(rgb.data.buffer, rgb.data.byteOffset, rgb.data.length), { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const line = outline(maxPool(mask, width, height), width, height, Math.max(1, Math.round(Math.max(width, height) / 112)));
  for (let i = 0; i < line.length; i++) if (line[i]) data.fill(255, i * 3, i * 3 + 3);
  const jpeg = await sharp(data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85, chromaSubsampling: '4:4:4' }).toBuffer();
  return { dataUri: `data:image/jpeg;base64,${jpeg.toString('base64')}`, width, height };
}
