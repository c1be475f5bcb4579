// @pure: the reports' number formatting, shared with the report webview.
// Number formatting shared by the Markdown, HTML and terminal reports.
import type { Accuracy, ComparisonRow } from '../metrics';

/** A rate as a percentage with two decimals; "—" when there is nothing to count. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : (rate * 100).toFixed(2);
}

/** A difference in percentage points with its sign: "+56.68", "-3.20", "+0.00". */
export function signedPoints(difference: number): string {
  const text = (difference * 100).toFixed(2);
  if (text === '-0.00') return '+0.00';
  return text.startsWith('-') ? text : `+${text}`;
}

/** The model's accuracy with the gap to the baseline as in paper Tables 4 and 5: "74.15 (+56.68)". */
export function modelCell(model: Accuracy, baseline?: Accuracy): string {
  const value = percent(model.rate);
  if (!baseline || model.rate === null || baseline.rate === null) return value;
  return `${value} (${signedPoints(model.rate - baseline.rate)})`;
}

/** The accuracy cells of a comparison row: [baseline, model] with a baseline, else [model]. */
export function accuracyCells(row: Pick<ComparisonRow, 'model' | 'baseline'>, withBaseline: boolean): string[] {
  return withBaseline ? [percent(row.baseline?.rate), modelCell(row.model, row.baseline)] : [modelCell(row.model)];
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}
