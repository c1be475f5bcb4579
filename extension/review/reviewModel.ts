// What the Review view shows, without the editor API: the queue's disagreements less the labels a
// curator accepted, with their text.
import type { ReviewItem } from '../../server/editor/reviewTypes';

/** A label accepted as right stays accepted while the region keeps that label. */
export function acceptKey(item: Pick<ReviewItem, 'record' | 'region' | 'truth'>): string {
  return `${item.record}#${item.region}=${item.truth}`;
}

export function openItems(items: readonly ReviewItem[], accepted: ReadonlySet<string>): ReviewItem[] {
  return items.filter((item) => !accepted.has(acceptKey(item)));
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
