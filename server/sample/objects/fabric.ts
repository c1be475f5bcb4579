// Plain-woven fabric: crossing threads of a light colour, slightly rotated.
import { createCanvas, jitterRgb, smoothNoise, type Rgb } from '../draw';
import type { Random } from '../random';
import { textureScene, type Scene } from './scene';

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
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const wrinkles = smoothNoise(rng, size, size, 24 * k);
  const image = createCanvas(size, size);
  const w = (2 * Math.PI) / period;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = x * c + y * s;
      const v = -x * s + y * c;
      const over = (Math.floor(u / period) + Math.floor(v / period)) % 2 === 0;
      const thread = over ? Math.sin(w * u) : Math.sin(w * v);
      const i = y * size + x;
      const shade = 1 + 0.09 * thread + 0.06 * wrinkles[i];
      image.data.set([tone[0] * shade, tone[1] * shade, tone[2] * shade], i * 3);
    }
  }
  return textureScene(size, image, tone, 3 * k);
}
