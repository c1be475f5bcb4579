// What the Review view shows, without the editor API: the queue's disagreements less the labels a
// curator accepted, with their text, which of them still hold once the dataset changed, and the
// queue as the workspace keeps it across a reload.
import type { ReviewItem, ReviewQueue } from '../../server/editor/reviewTypes';

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

/** The form of the queue the workspace keeps; a queue kept in another form is not read back. */
export const STORED_QUEUE_VERSION = 1;

export interface StoredQueue {
  version: number;
  /** The dataset and the bundle the queue is of. */
  key: string;
  queue: ReviewQueue;
}

export function queueKey(queue: Pick<ReviewQueue, 'dataset' | 'bundle'>): string {
  return JSON.stringify([queue.dataset, queue.bundle]);
}

export function storedQueue(queue: ReviewQueue): StoredQueue {
  return { version: STORED_QUEUE_VERSION, key: queueKey(queue), queue };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isItem(value: unknown): value is ReviewItem {
  const i = value as Record<string, unknown> | null;
  return (
    typeof i === 'object' && i !== null &&
    ['train', 'val', 'test'].includes(i.split as string) &&
    [i.image, i.record, i.mask, i.object, i.defect, i.truth, i.version].every(isString) &&
    Number.isInteger(i.region) && (i.region as number) >= 0 &&
    [i.confidence, i.truthProbability].every(isNumber) &&
    Array.isArray(i.model) && i.model.length > 0 &&
    i.model.every((r: { text?: unknown; probability?: unknown } | null) => typeof r === 'object' && r !== null && isString(r.text) && isNumber(r.probability))
  );
}

/** The queue the workspace kept, when it is one of this form, for its dataset and bundle; otherwise undefined. */
export function restoredQueue(value: unknown): ReviewQueue | undefined {
  const stored = value as Partial<StoredQueue> | null | undefined;
  if (typeof stored !== 'object' || stored === null || stored.version !== STORED_QUEUE_VERSION) return undefined;
  const queue = stored.queue as Partial<ReviewQueue> | undefined;
  if (typeof queue !== 'object' || queue === null || !isString(queue.dataset) || !isString(queue.bundle) || !isNumber(queue.regions)) return undefined;
  if (stored.key !== queueKey({ dataset: queue.dataset, bundle: queue.bundle })) return undefined;
  if (!Array.isArray(queue.items) || !queue.items.every(isItem)) return undefined;
  return { dataset: queue.dataset, bundle: queue.bundle, regions: queue.regions, items: queue.items, cached: true };
}
