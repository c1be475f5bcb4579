// A brushed steel plate with four rivets, on a workbench.
import { disc, fillShape, roundedRect, type Rgb, type Shape } from '../draw';
import type { Random } from '../random';
import { dropShadow, metalTone, objectScene, objectSetting, type Scene } from './scene';

const BENCHES: Rgb[] = [
  [118, 130, 118],
  [92, 98, 112],
  [150, 138, 122],
];

export function renderPlate(rng: Random, size: number): Scene {
  const k = size / 128;
  const { background, centre } = objectSetting(rng, size, BENCHES, 10, 6);
  const hw = rng.uniform(44, 52) * k;
  const hh = rng.uniform(36, 44) * k;
  const angle = rng.uniform(-0.3, 0.3);
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const tone = metalTone(rng, 140, 180, 6);
  const body = roundedRect(centre.x, centre.y, hw, hh, 6 * k, angle);
  const streaks = Array.from({ length: 256 }, () => rng.uniform(-7, 7));
  const slope = rng.uniform(-14, 14);
  const inset = 8 * k;
  const rivetCentres = [[-1, -1], [1, -1], [-1, 1], [1, 1]].map(([su, sv]) => {
    const u = su * (hw - inset);
    const v = sv * (hh - inset);
    return { x: centre.x + u * c - v * s, y: centre.y + u * s + v * c };
  });
  const rivetRadius = 3.6 * k;
  const rivetClearance: Shape[] = rivetCentres.map((p) => disc(p.x, p.y, rivetRadius + 5 * k));
  return objectScene({
    size,
    background,
    body,
    centre,
    tone,
    surfaceInset: 4 * k,
    surfaceHoles: rivetClearance,
    shadow: [3 * k, 4 * k, 0.4],
    shade: (x, y) => {
      const dx = x - centre.x;
      const dy = y - centre.y;
      const u = dx * c + dy * s;
      const v = -dx * s + dy * c;
      const row = streaks[(Math.floor(v / k) + 512) % 256];
      const edge = body.sdf(x, y) > -2 * k ? -24 : 0;
      const shade = row + (slope * u) / hw + edge;
      return [tone[0] + shade, tone[1] + shade, tone[2] + shade];
    },
    details: (image) => {
      for (const p of rivetCentres) {
        const rivet = disc(p.x, p.y, rivetRadius);
        dropShadow(image, rivet, 1.2 * k, 1.5 * k, 0.5);
        fillShape(image, rivet, [212, 212, 206]);
        fillShape(image, disc(p.x - k, p.y - k, 1.3 * k), [245, 245, 240], { opacity: 0.8 });
      }
    },
  });
}
