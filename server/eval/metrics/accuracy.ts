// Accuracy tallies and the baseline-vs-model rows of paper Tables 4 and 5.
import { groupBy } from '../../util/arrays';
import { type RegionPrediction, type Role, isCorrect } from '../records';

export interface Accuracy {
  correct: number;
  total: number;
  /** correct / total; null when there is nothing to count. */
  rate: number | null;
}

export function tally(records: readonly RegionPrediction[], test: (record: RegionPrediction) => boolean): Accuracy {
  let correct = 0;
  for (const record of records) if (test(record)) correct++;
  return { correct, total: records.length, rate: records.length ? correct / records.length : null };
}

/** One row: a group of regions, the accuracy of each role on it, and model minus baseline. */
export interface ComparisonRow {
  label: string;
  regions: number;
  model: Accuracy;
  baseline?: Accuracy;
  /** model.rate − baseline.rate, when there is a baseline. */
  difference?: number | null;
}

export function comparisonRow(label: string, records: readonly RegionPrediction[], withBaseline: boolean): ComparisonRow {
  const model = tally(records, (r) => isCorrect(r, 'model'));
  const row: ComparisonRow = { label, regions: records.length, model };
  if (withBaseline) {
    row.baseline = tally(records, (r) => isCorrect(r, 'baseline'));
    row.difference = model.rate !== null && row.baseline.rate !== null ? model.rate - row.baseline.rate : null;
  }
  return row;
}


/** One comparison row per group, ordered by `compare` on the labels. */
export function compareBy(
  records: readonly RegionPrediction[],
  labelOf: (record: RegionPrediction) => string,
  withBaseline: boolean,
  compare: (a: string, b: string) => number = (a, b) => a.localeCompare(b),
): ComparisonRow[] {
  return [...groupBy(records, labelOf)]
    .sort(([a], [b]) => compare(a, b))
    .map(([label, group]) => comparisonRow(label, group, withBaseline));
}

export function hasRole(records: readonly RegionPrediction[], role: Role): boolean {
  return records.some((r) => r[role] !== undefined);
}
