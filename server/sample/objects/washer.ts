// A flat metal washer (a ring) lying on a dark surface, lit from a random side.
import { annulus, type Rgb } from '../draw';
import type { Random } from '../random';
import { fromCentre, metalTone, objectScene, objectSetting, type Scene } from './scene';

const BACKGROUNDS: Rgb[] = [
  [55, 60, 72],
  [70, 64, 58],
  [42, 48, 52],
];

export function renderWasher(rng: Random, size: number): Scene {
  const k = size / 128;
  const { background, centre } = objectSetting(rng, size, BACKGROUNDS, 10, 8);
  const outer = rng.uniform(44, 51) * k;
  const inner = outer * rng.uniform(0.34, 0.4);
  const tone = metalTone(rng, 150, 188, 7);
  const light = rng.uniform(0, 2 * Math.PI);
  const ringFrequency = rng.uniform(0.9, 1.4) / k;
  const ringPhase = rng.uniform(0, 2 * Math.PI);
  const body = annulus(centre.x, centre.y, inner, outer);
  return objectScene({
    size,
    background,
    body,
    centre,
    tone,
    surfaceInset: 3 * k,
    shadow: [2.5 * k, 4 * k, 0.45],
    shade: (x, y) => {
      const { dx, dy, d } = fromCentre(x, y, centre);
      const lathe = 6 * Math.sin(d * ringFrequency + ringPhase);
      const sheen = 22 * Math.cos(Math.atan2(dy, dx) - light);
      const edge = Math.min(d - inner, outer - d) < 2.2 * k ? -28 : 0;
      const s = lathe + sheen + edge;
      return [tone[0] + s, tone[1] + s, tone[2] + s];
    },
  });
}
