// An image file decoded for the detector: its samples as floats in [0, 1] (errors name the file).
import { decodeSamples, imageMetadata, readImageBytes } from '../image/source';
import type { FloatImage } from './features';

export async function readFloatImage(file: string): Promise<FloatImage> {
  const bytes = await readImageBytes(file);
  const samples = await decodeSamples(file, bytes, await imageMetadata(file, bytes));
  const scale = samples.depth === 16 ? 1 / 65535 : 1 / 255;
  const data = new Float32Array(samples.data.length);
  for (let i = 0; i < data.length; i++) data[i] = samples.data[i] * scale;
  return { width: samples.width, height: samples.height, channels: samples.channels, data };
}
