// Confusion matrix: ground-truth description × predicted description.
import { type RegionPrediction, type Role, predicted } from '../records';

export interface ConfusionMatrix {
  /** Row and column labels: every ground truth and every prediction, sorted. */
  labels: string[];
  /** counts[truth][prediction], indices into labels. */
  counts: number[][];
}

export interface Confusion {
  truth: string;
  predicted: string;
  count: number;
}

export function confusionMatrix(records: readonly RegionPrediction[], role: Role): ConfusionMatrix {
  const answered = records.filter((r) => predicted(r, role) !== undefined);
  const labels = [...new Set(answered.flatMap((r) => [r.truth, predicted(r, role) as string]))].sort((a, b) => a.localeCompare(b));
  const index = new Map(labels.map((label, i) => [label, i]));
  const counts = labels.map(() => labels.map(() => 0));
  for (const r of answered) counts[index.get(r.truth) as number][index.get(predicted(r, role) as string) as number]++;
  return { labels, counts };
}

/** The most frequent mistakes, most frequent first (ties by truth, then prediction). */
export function topConfusions(matrix: ConfusionMatrix, limit: number): Confusion[] {
  const out: Confusion[] = [];
  matrix.counts.forEach((row, t) =>
    row.forEach((count, p) => {
      if (t !== p && count > 0) out.push({ truth: matrix.labels[t], predicted: matrix.labels[p], count });
    }),
  );
  out.sort((a, b) => b.count - a.count || a.truth.localeCompare(b.truth) || a.predicted.localeCompare(b.predicted));
  return out.slice(0, limit);
}
