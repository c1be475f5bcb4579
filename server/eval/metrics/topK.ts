// Top-k accuracy: the ground truth among the first k answers.
import { type RegionPrediction, inTopK } from '../records';
import { type Accuracy, tally } from './accuracy';

export interface TopKRow {
  k: number;
  model: Accuracy;
  baseline?: Accuracy;
}

/** Rows k = 1 … maxK. */
export function topKAccuracy(records: readonly RegionPrediction[], maxK: number, withBaseline: boolean): TopKRow[] {
  const rows: TopKRow[] = [];
  for (let k = 1; k <= maxK; k++) {
    const row: TopKRow = { k, model: tally(records, (r) => inTopK(r, 'model', k)) };
    if (withBaseline) row.baseline = tally(records, (r) => inTopK(r, 'baseline', k));
    rows.push(row);
  }
  return rows;
}
