// Glazed ceramic tiles in a slightly rotated grid with grout lines.
import { jitterRgb, mixRgb, smoothNoise, type Rgb } from '../draw';
import type { Random } from '../random';
import { textureScene, turnedTexture, type Scene } from './scene';

const GLAZES: Rgb[] = [
  [196, 170, 140],
  [182, 112, 82],
  [150, 160, 174],
  [168, 180, 148],
];

export function renderTile(rng: Random, size: number): Scene {
  const k = size / 128;
  const tone = jitterRgb(rng, rng.pick(GLAZES), 10);
  const grout = mixRgb(tone, [95, 95, 92], 0.65);
  const pitch = rng.uniform(36, 56) * k;
  const groutWidth = rng.uniform(1.6, 2.6) * k;
  const angle = rng.uniform(-0.2, 0.2);
  const origin = { x: rng.uniform(0, pitch), y: rng.uniform(0, pitch) };
  const perTile = Array.from({ length: 64 }, () => rng.uniform(-9, 9));
  const glaze = smoothNoise(rng, size, size, 10 * k);
  const image = turnedTexture(
    size,
    angle,
    (u, v, i) => {
      const iu = Math.floor(u / pitch);
      const iv = Math.floor(v / pitch);
      const fu = u - iu * pitch;
      const fv = v - iv * pitch;
      const edge = Math.min(fu, fv, pitch - fu, pitch - fv);
      if (edge < groutWidth / 2) return grout;
      const shade = perTile[(((iu * 7 + iv * 13) % 64) + 64) % 64] + glaze[i] * 5;
      const bevel = edge < groutWidth / 2 + 1.5 * k ? -10 : 0;
      return [tone[0] + shade + bevel, tone[1] + shade + bevel, tone[2] + shade + bevel];
    },
    origin,
  );
  return textureScene(size, image, tone, 3 * k);
}
