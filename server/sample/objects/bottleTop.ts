// A bottle cap seen from above: a coloured disc with a ridged rim and an embossed ring.
import { annulus, disc, fillShape, jitterRgb, type Rgb } from '../draw';
import type { Random } from '../random';
import { fromCentre, objectScene, objectSetting, type Scene } from './scene';

const BACKGROUNDS: Rgb[] = [
  [222, 220, 212],
  [62, 64, 72],
  [198, 204, 210],
];

const CAPS: Rgb[] = [
  [188, 44, 42],
  [44, 82, 170],
  [44, 140, 74],
  [198, 160, 46],
];

export function renderBottleTop(rng: Random, size: number): Scene {
  const k = size / 128;
  const { background, centre } = objectSetting(rng, size, BACKGROUNDS, 8, 8);
  const radius = rng.uniform(40, 49) * k;
  const rim = 6 * k;
  const ridges = rng.int(24, 36);
  const twist = rng.uniform(0, 2 * Math.PI);
  const light = rng.uniform(0, 2 * Math.PI);
  const tone = jitterRgb(rng, rng.pick(CAPS), 14);
  const emboss = radius * rng.uniform(0.6, 0.7);
  const body = disc(centre.x, centre.y, radius);
  return objectScene({
    size,
    background,
    body,
    centre,
    tone,
    surfaceInset: 3 * k,
    shadow: [3 * k, 4 * k, 0.4],
    shade: (x, y) => {
      const { dx, dy, d } = fromCentre(x, y, centre);
      const theta = Math.atan2(dy, dx);
      const lit = 0.12 * Math.cos(theta - light) * (d / radius);
      const shade = d > radius - rim ? 0.86 + 0.14 * Math.sin(theta * ridges + twist) : 1 - 0.12 * (d / radius);
      const f = shade + lit;
      return [tone[0] * f, tone[1] * f, tone[2] * f];
    },
    details: (image) => fillShape(image, annulus(centre.x, centre.y, emboss - 0.8 * k, emboss + 0.8 * k), [0, 0, 0], { opacity: 0.25 }),
  });
}
