// What the Review view shows, without the editor API: the queue's disagreements less the labels a
// curator accepted, with their text, and which of them still hold once the dataset changed.
import type { ReviewItem } from '../../server/editor/reviewTypes';

/** A label accepted as right stays accepted while the region keeps that label. */
export function acceptKey(item: Pick<ReviewItem, 'record' | 'region' | 'truth'>): string {
  return `${item.record}#${item.region}=${item.truth}`;
}

export function openItems(items: readonly ReviewItem[], accepted: ReadonlySet<string>): ReviewItem[] {
  return items.filter((item) => !accepted.has(acceptKey(item)));
}

/** A record's regions as a split file holds them, by the record's image path. */
export type RecordRegions = Map<string, readonly { mask?: unknown; description?: unknown }[]>;

/** The records of a split file's text (lines that are no record are left out). */
export function recordRegions(text: string): RecordRegions {
  const out: RecordRegions = new Map();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as { image?: unknown; regions?: unknown };
      if (typeof record.image === 'string' && Array.isArray(record.regions)) out.set(record.image, record.regions);
    } catch {
      // a broken line: its record is gone for the queue
    }
  }
  return out;
}

/** The item's region is still the one reviewed: the same mask, with the label the model disagreed with. */
export function stillAsReviewed(item: Pick<ReviewItem, 'region' | 'mask' | 'truth'>, regions: readonly { mask?: unknown; description?: unknown }[] | undefined): boolean {
  const region = regions?.[item.region];
  return region?.mask === item.mask && region?.description === item.truth;
}

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

export interface ReviewRow {
  label: string;
  description: string;
  tooltip: string;
}

export function reviewRow(item: ReviewItem): ReviewRow {
  const best = item.model[0];
  return {
    label: `${best.text} (${pct(best.probability)})`,
    description: `label: ${item.truth} · ${item.record} region ${item.region + 1}`,
    tooltip: [
      `${item.record}, region ${item.region + 1} (${item.split})`,
      `label: ${item.truth} (model ${pct(item.truthProbability)})`,
      ...item.model.map((r, k) => `${k + 1}. ${r.text} ${pct(r.probability)}`),
    ].join('\n'),
  };
}
