// @pure: the report's tables as plain cells, rendered to Markdown (report.md, the terminal) and HTML.
import type { Calibration, EvalMetrics } from '../metrics';
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

const decimals = (x: number | null | undefined, digits: number): string => (x === null || x === undefined ? '—' : x.toFixed(digits));

/** The calibration of each role: ECE and NLL before and after temperature scaling, and the answers stated above the threshold. */
export function calibrationTable(metrics: EvalMetrics): Table | undefined {
  const c = metrics.calibration;
  if (!c) return undefined;
  const roles = c.baseline ? (['baseline', 'model'] as const) : (['model'] as const);
  const rows = roles.map((role) => {
    const r = c[role] as Calibration;
    const u = r.uncertain;
    return [
      role === 'model' ? 'Model' : 'Baseline',
      r.after ? decimals(r.after.temperature, 3) : 'none',
      percent(r.before.ece),
      r.after ? percent(r.after.ece) : '—',
      decimals(r.before.nll, 3),
      r.after ? decimals(r.after.nll, 3) : '—',
      percent(u.threshold),
      `${count(u.answered)} (${percent(u.coverage)} %)`,
      percent(u.accuracy),
    ];
  });
  return {
    header: ['', 'Temperature', 'ECE before (%)', 'ECE after (%)', 'NLL before', 'NLL after', 'Uncertain below (%)', 'Answers stated', 'Stated right (%)'],
    rows,
    numericFrom: 1,
  };
}

/** The reliability diagram of one role as a table: per confidence bin, its regions, mean confidence and accuracy (calibrated when the bundle has a temperature). */
export function reliabilityTable(calibration: Calibration): Table {
  const at = calibration.after ?? calibration.before;
  const rows = at.bins.map((b) => [
    `${percent(b.lower)}–${percent(b.upper)}`,
    count(b.count),
    percent(b.confidence),
    percent(b.accuracy),
    b.accuracy === null || b.confidence === null ? '—' : percent(b.accuracy - b.confidence),
  ]);
  return { header: ['Confidence (%)', 'Regions', 'Mean confidence (%)', 'Accuracy (%)', 'Accuracy − confidence (points)'], rows, numericFrom: 1 };
}

export const CALIBRATION_DEFINITION =
  "The confidence of an answer is the softmax probability of the top description; with the bundle's temperature (fitted on the validation split by minimising the negative log-likelihood) the logits are divided by it first. ECE: the top answers fall into 15 equal-width confidence bins, and the gap between each bin's accuracy and mean confidence is averaged, weighted by its regions. Answers below the uncertainty threshold are shown as uncertain; the rest are stated.";
