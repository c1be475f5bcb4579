// The report's tables as plain cells, rendered to Markdown (report.md, the terminal) and HTML.
import type { EvalMetrics } from '../metrics';
import { accuracyCells, count, percent } from './format';

export interface Table {
  header: string[];
  rows: string[][];
  /** Columns from this index on are numbers (right-aligned). */
  numericFrom: number;
  /** Index of a closing total row, shown in bold. */
  totalRow?: number;
}

export function withBaseline(metrics: EvalMetrics): boolean {
  return metrics.total.baseline !== undefined;
}

function accuracyHeader(metrics: EvalMetrics): string[] {
  return withBaseline(metrics) ? ['Baseline (%)', 'Model (%)'] : ['Model (%)'];
}

/** Paper Table 4: accuracy per number of regions in the image, then the total. */
export function regionCountTable(metrics: EvalMetrics): Table {
  const b = withBaseline(metrics);
  const rows = metrics.byRegionCount.map((r) => [r.label, count(r.regions), ...accuracyCells(r, b)]);
  rows.push(['Total accuracy', count(metrics.total.regions), ...accuracyCells(metrics.total, b)]);
  return { header: ['Regions in image', 'Regions', ...accuracyHeader(metrics)], rows, numericFrom: 1, totalRow: rows.length - 1 };
}

/** Paper Table 5: accuracy per object, then the total. */
export function objectTable(metrics: EvalMetrics): Table {
  const b = withBaseline(metrics);
  const rows = metrics.byObject.map((r) => [r.label, count(r.regions), ...accuracyCells(r, b)]);
  rows.push(['Total', count(metrics.total.regions), ...accuracyCells(metrics.total, b)]);
  return { header: ['Object', 'Regions', ...accuracyHeader(metrics)], rows, numericFrom: 1, totalRow: rows.length - 1 };
}

/** Accuracy by the kind of image a region lies in (where following the mask matters). */
export function imageKindTable(metrics: EvalMetrics): Table {
  const b = withBaseline(metrics);
  const rows = metrics.byImageKind.map((r) => [r.label, count(r.regions), ...accuracyCells(r, b)]);
  return { header: ['Image', 'Regions', ...accuracyHeader(metrics)], rows, numericFrom: 1 };
}

export function classTable(metrics: EvalMetrics): Table {
  const b = withBaseline(metrics);
  const rows = metrics.byClass.map((r) => [r.object, r.defect, r.descriptions.join('; '), count(r.regions), ...accuracyCells(r, b)]);
  return { header: ['Object', 'Defect', 'Ground truth', 'Regions', ...accuracyHeader(metrics)], rows, numericFrom: 3 };
}

export function topKTable(metrics: EvalMetrics): Table {
  const b = withBaseline(metrics);
  const rows = metrics.topK.map((r) => [`top-${r.k}`, ...accuracyCells(r, b)]);
  return { header: ['', ...accuracyHeader(metrics)], rows, numericFrom: 1 };
}

export function maskFollowingTable(metrics: EvalMetrics): Table {
  const roles = withBaseline(metrics) ? (['baseline', 'model'] as const) : (['model'] as const);
  const rows = roles.map((role) => {
    const m = metrics.maskFollowing[role];
    if (!m) return [role];
    return [role === 'model' ? 'Model' : 'Baseline', count(m.images), count(m.pairs), percent(m.followRate), percent(m.bothRightRate)];
  });
  return { header: ['', 'Images', 'Region pairs', 'Answers differ (%)', 'Both right (%)'], rows, numericFrom: 1 };
}

export function confusionsTable(metrics: EvalMetrics, role: 'model' | 'baseline'): Table {
  const rows = (metrics.topConfusions[role] ?? []).map((c) => [c.truth, c.predicted, count(c.count)]);
  return { header: ['Ground truth', 'Predicted', 'Regions'], rows, numericFrom: 2 };
}
