// The anomaly map as files: a 16-bit greyscale PNG (value × scale = score) and a colour overlay
// of the map on the image, with the threshold's outline.
import { constants, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { greyPngOf } from '../image/greyPng';
import type { FloatImage } from './features';

/** The map as a 16-bit greyscale PNG, with the score per unit value (the map's maximum at 65535). */
export function mapPng16(map: Float32Array, width: number, height: number): { png: Buffer; scale: number } {
  let max = 0;
  for (let i = 0; i < map.length; i++) if (map[i] > max) max = map[i];
  const scale = max > 0 ? max / 65535 : 1;
  const stride = width * 2 + 1;
  const rows = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.writeUInt16BE(Math.round(Math.max(0, map[y * width + x]) / scale), y * stride + 1 + x * 2);
  }
  return { png: greyPngOf(width, height, deflateSync(rows, { strategy: constants.Z_DEFAULT_STRATEGY }), 16), scale };
}

/** A heat colour (blue → red) for t in [0, 1]. */
function heat(t: number): [number, number, number] {
  const c = Math.min(1, Math.max(0, t));
  return [Math.round(255 * Math.min(1, 2 * c)), Math.round(255 * (1 - Math.abs(2 * c - 1))), Math.round(255 * Math.min(1, 2 * (1 - c)))];
}

/** The image in grey under the map's heat colours (0 to twice the threshold), pixels above the threshold outlined in white. */
export async function overlayPng(image: FloatImage, map: Float32Array, threshold: number): Promise<Buffer> {
  const { width, height, channels } = image;
  const rgb = Buffer.alloc(width * height * 3);
  const above = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && map[y * width + x] > threshold;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      let grey = 0;
      const colours = Math.min(3, channels === 2 ? 1 : channels);
      for (let k = 0; k < colours; k++) grey += image.data[p * channels + k];
      grey = (grey / colours) * 255;
      const [r, g, b] = heat(map[p] / (2 * threshold));
      const edge = above(x, y) && (!above(x - 1, y) || !above(x + 1, y) || !above(x, y - 1) || !above(x, y + 1));
      const a = 0.45;
      rgb[p * 3] = edge ? 255 : Math.round((1 - a) * grey + a * r);
      rgb[p * 3 + 1] = edge ? 255 : Math.round((1 - a) * grey + a * g);
      rgb[p * 3 + 2] = edge ? 255 : Math.round((1 - a) * grey + a * b);
    }
  }
  return sharp(rgb, { raw: { width, height, channels: 3 } }).png().toBuffer();
}
