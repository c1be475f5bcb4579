// Plain-woven fabric: crossing threads of a light colour, slightly rotated.
import { jitterRgb, smoothNoise, type Rgb } from '../draw';
import type { Random } from '../random';
import { textureScene, turnedTexture, type Scene } from './scene';

const CLOTHS: Rgb[] = [
  [202, 186, 150],
  [142, 166, 202],
  [176, 176, 170],
  [170, 192, 152],
];

export function renderFabric(rng: Random, size: number): Scene {
  const k = size / 128;
  const tone = jitterRgb(rng, rng.pick(CLOTHS), 10);
  const period = rng.uniform(3, 4.5) * k;
  const angle = rng.uniform(-0.3, 0.3);
  const wrinkles = smoothNoise(rng, size, size, 24 * k);
  const w = (2 * Math.PI) / period;
  const image = turnedTexture(size, angle, (u, v, i) => {
    const over = (Math.floor(u / period) + Math.floor(v / period)) % 2 === 0;
    const thread = over ? Math.sin(w * u) : Math.sin(w * v);
    const shade = 1 + 0.09 * thread + 0.06 * wrinkles[i];
    return [tone[0] * shade, tone[1] * shade, tone[2] * shade];
  });
  return textureScene(size, image, tone, 3 * k);
}
