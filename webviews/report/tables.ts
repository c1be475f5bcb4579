// The report's tables as cells (pure, no DOM): one report (baseline, model, difference, as in the
// paper's Tables 4 and 5) or two reports side by side with the change between them.
import type { ReportJson } from './messages';
import { percent, signedPoints as points } from '../../server/eval/report/format';

type Metrics = ReportJson['metrics'];
type Row = Metrics['total'];
interface Accuracy {
  correct: number;
  total: number;
  rate: number | null;
}

export interface Cell {
  text: string;
  /** right-aligned number */
  num?: boolean;
  /** 'up' / 'down': a positive / negative change, coloured. */
  trend?: 'up' | 'down';
}

export interface Table {
  id: string;
  title: string;
  header: string[];
  rows: Cell[][];
  /** Index of the total row, shown in bold. */
  totalRow?: number;
}

export { percent, points };

function deltaCell(a: number | null | undefined, b: number | null | undefined): Cell {
  if (a === null || a === undefined || b === null || b === undefined) return { text: '—', num: true };
  const d = a - b;
  const text = points(d);
  return { text, num: true, trend: text === '+0.00' ? undefined : d > 0 ? 'up' : 'down' };
}

const num = (text: string): Cell => ({ text, num: true });
const label = (text: string): Cell => ({ text });
const count = (n: number | undefined): Cell => num(n === undefined ? '—' : n.toLocaleString('en-US'));

export function hasBaseline(report: ReportJson): boolean {
  return report.metrics.total.baseline !== undefined;
}

/** Accuracy columns of one report: baseline, model and their difference when there is a baseline. */
function accuracyCells(row: { model: Accuracy; baseline?: Accuracy }, withBaseline: boolean): Cell[] {
  if (!withBaseline) return [num(percent(row.model.rate))];
  return [num(percent(row.baseline?.rate)), num(percent(row.model.rate)), deltaCell(row.model.rate, row.baseline?.rate)];
}

function accuracyHeader(withBaseline: boolean): string[] {
  return withBaseline ? ['Baseline (%)', 'Model (%)', 'Difference'] : ['Model (%)'];
}

function groupTable(id: string, title: string, first: string, rows: Row[], total: Row | undefined, withBaseline: boolean): Table {
  const body = rows.map((r) => [label(r.label), count(r.regions), ...accuracyCells(r, withBaseline)]);
  if (total) body.push([label('Total'), count(total.regions), ...accuracyCells(total, withBaseline)]);
  return { id, title, header: [first, 'Regions', ...accuracyHeader(withBaseline)], rows: body, totalRow: total ? body.length - 1 : undefined };
}

/** The tables of one report, in the order the page shows them. */
export function reportTables(report: ReportJson): Table[] {
  const m = report.metrics;
  const b = hasBaseline(report);
  const tables = [
    groupTable('regions', 'Accuracy by number of regions in the image (Table 4)', 'Regions in image', m.byRegionCount, m.total, b),
    groupTable('objects', 'Accuracy by object (Table 5)', 'Object', m.byObject, m.total, b),
    groupTable('kinds', 'Accuracy by kind of image', 'Image', m.byImageKind, undefined, b),
    {
      id: 'classes',
      title: 'Accuracy per defect class',
      header: ['Object', 'Defect', 'Ground truth', 'Regions', ...accuracyHeader(b)],
      rows: m.byClass.map((r) => [label(r.object), label(r.defect), label(r.descriptions.join('; ')), count(r.regions), ...accuracyCells(r, b)]),
    },
    {
      id: 'topk',
      title: 'Top-k accuracy',
      header: ['', ...accuracyHeader(b)],
      rows: m.topK.map((r) => [label(`top-${r.k}`), ...accuracyCells(r, b)]),
    },
    {
      id: 'mask',
      title: 'Mask following: regions of one image with different descriptions',
      header: ['', 'Images', 'Region pairs', 'Answers differ (%)', 'Both right (%)'],
      rows: (b ? (['baseline', 'model'] as const) : (['model'] as const)).flatMap((role) => {
        const f = m.maskFollowing[role];
        return f ? [[label(role === 'model' ? 'Model' : 'Baseline'), count(f.images), count(f.pairs), num(percent(f.followRate)), num(percent(f.bothRightRate))]] : [];
      }),
    },
  ];
  return tables;
}

function compareGroup(id: string, title: string, first: string, a: Row[], b: Row[], totals: [Row, Row] | undefined, names: [string, string]): Table {
  const byLabel = new Map(b.map((r) => [r.label, r]));
  const labels = [...a.map((r) => r.label), ...b.filter((r) => !a.some((x) => x.label === r.label)).map((r) => r.label)];
  const aBy = new Map(a.map((r) => [r.label, r]));
  const rows = labels.map((l) => {
    const ra = aBy.get(l);
    const rb = byLabel.get(l);
    return [label(l), count(ra?.regions), count(rb?.regions), num(percent(ra?.model.rate)), num(percent(rb?.model.rate)), deltaCell(ra?.model.rate, rb?.model.rate)];
  });
  if (totals) {
    const [ta, tb] = totals;
    rows.push([label('Total'), count(ta.regions), count(tb.regions), num(percent(ta.model.rate)), num(percent(tb.model.rate)), deltaCell(ta.model.rate, tb.model.rate)]);
  }
  const [na, nb] = names;
  return {
    id,
    title,
    header: [first, `Regions (${na})`, `Regions (${nb})`, `${na} (%)`, `${nb} (%)`, 'Change'],
    rows,
    totalRow: totals ? rows.length - 1 : undefined,
  };
}

/** A change where less is better (an error): coloured as an improvement when it falls. */
function lowerIsBetter(a: number | null | undefined, b: number | null | undefined): Cell {
  const cell = deltaCell(a, b);
  return cell.trend ? { ...cell, trend: cell.trend === 'up' ? 'down' : 'up' } : cell;
}

/** The two models' calibration: ECE before and with their temperatures, and the answers they state. */
function calibrationComparison(a: ReportJson, b: ReportJson, names: [string, string]): Table | undefined {
  const ca = a.metrics.calibration?.model;
  const cb = b.metrics.calibration?.model;
  if (!ca && !cb) return undefined;
  const calibrated = (c: typeof ca) => c?.after ?? c?.before;
  const rows: Cell[][] = [
    [label('ECE before calibration (%)'), num(percent(ca?.before.ece)), num(percent(cb?.before.ece)), lowerIsBetter(ca?.before.ece, cb?.before.ece)],
    [label('ECE with the temperature (%)'), num(percent(calibrated(ca)?.ece)), num(percent(calibrated(cb)?.ece)), lowerIsBetter(calibrated(ca)?.ece, calibrated(cb)?.ece)],
    [label('Answers stated (%)'), num(percent(ca?.uncertain.coverage)), num(percent(cb?.uncertain.coverage)), deltaCell(ca?.uncertain.coverage, cb?.uncertain.coverage)],
    [label('Stated answers right (%)'), num(percent(ca?.uncertain.accuracy)), num(percent(cb?.uncertain.accuracy)), deltaCell(ca?.uncertain.accuracy, cb?.uncertain.accuracy)],
  ];
  const [na, nb] = names;
  return { id: 'calibration', title: 'Calibration', header: ['', na, nb, 'Change'], rows };
}

/** Two reports' models side by side; the change is the first's accuracy minus the second's. */
export function comparisonTables(a: ReportJson, b: ReportJson, names: [string, string]): Table[] {
  const ma = a.metrics;
  const mb = b.metrics;
  const topK = (m: Metrics) => m.topK.map((r) => ({ label: `top-${r.k}`, regions: m.regions, model: r.model }));
  const classes = (m: Metrics) => m.byClass.map((r) => ({ ...r, label: `${r.object} / ${r.defect}` }));
  return [
    compareGroup('regions', 'Accuracy by number of regions in the image (Table 4)', 'Regions in image', ma.byRegionCount, mb.byRegionCount, [ma.total, mb.total], names),
    compareGroup('objects', 'Accuracy by object (Table 5)', 'Object', ma.byObject, mb.byObject, [ma.total, mb.total], names),
    compareGroup('kinds', 'Accuracy by kind of image', 'Image', ma.byImageKind, mb.byImageKind, undefined, names),
    compareGroup('classes', 'Accuracy per defect class', 'Class', classes(ma), classes(mb), undefined, names),
    compareGroup('topk', 'Top-k accuracy', '', topK(ma), topK(mb), undefined, names),
    ...[calibrationComparison(a, b, names)].filter((t): t is Table => t !== undefined),
  ];
}

/** Shade of a heat-map cell: 0 for an empty cell, else 1 … 5 by its share of the largest cell. */
export function heatLevel(n: number, max: number): number {
  if (n <= 0 || max <= 0) return 0;
  return Math.max(1, Math.min(5, Math.ceil((5 * n) / max)));
}
