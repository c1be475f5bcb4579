// Which regions the qualitative gallery shows (like paper Fig. 2): regions of images with
// several regions first, mixing outcomes (model right and baseline wrong, both right, …).
import { type RegionPrediction, isCorrect } from '../records';

function outcome(record: RegionPrediction, withBaseline: boolean): number {
  const model = isCorrect(record, 'model');
  if (!withBaseline) return model ? 0 : 1;
  const baseline = isCorrect(record, 'baseline');
  // Order of preference: the model fixes the baseline, both right, the model breaks it, both wrong.
  return model ? (baseline ? 1 : 0) : baseline ? 2 : 3;
}

/**
 * Up to n regions, at most `perImage` from one image, taken in turn from each outcome;
 * returned grouped by image (so the regions of one image stand side by side).
 */
export function pickGallery(records: readonly RegionPrediction[], n: number, perImage = 2): RegionPrediction[] {
  const withBaseline = records.some((r) => r.baseline !== undefined);
  const ordered = [...records].sort(
    (a, b) => Number(b.regionCount > 1) - Number(a.regionCount > 1) || a.image.localeCompare(b.image) || a.region - b.region,
  );
  const queues: RegionPrediction[][] = [[], [], [], []];
  for (const r of ordered) queues[outcome(r, withBaseline)].push(r);
  const taken: RegionPrediction[] = [];
  const perImageCount = new Map<string, number>();
  let progress = true;
  while (taken.length < n && progress) {
    progress = false;
    for (const queue of queues) {
      if (taken.length >= n) break;
      const at = queue.findIndex((r) => (perImageCount.get(r.image) ?? 0) < perImage);
      if (at < 0) continue;
      const [r] = queue.splice(at, 1);
      perImageCount.set(r.image, (perImageCount.get(r.image) ?? 0) + 1);
      taken.push(r);
      progress = true;
    }
  }
  const firstAt = new Map<string, number>();
  taken.forEach((r, i) => firstAt.has(r.image) || firstAt.set(r.image, i));
  return taken.sort((a, b) => (firstAt.get(a.image) as number) - (firstAt.get(b.image) as number) || a.region - b.region);
}
