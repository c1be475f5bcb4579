// The report's calibration section: ECE and NLL before and after temperature scaling, the
// model's reliability diagrams (accuracy against confidence per bin, with each bin's regions)
// and the bins as a table. Reports written before calibration was measured have none.
import { CALIBRATION_DEFINITION, calibrationTable, reliabilityTable } from '../../server/eval/report/tables';
import { reliabilitySvg } from '../../server/eval/report/reliabilitySvg';
import { el } from '../channel';
import type { ReportJson } from './messages';
import { percent } from './tables';

type Calibration = NonNullable<ReportJson['metrics']['calibration']>['model'];

function table(t: { header: string[]; rows: string[][]; numericFrom: number }, id: string): HTMLTableElement {
  const out = el('table');
  out.id = id;
  const head = el('tr');
  for (const h of t.header) head.append(el('th', undefined, h));
  out.append(el('thead'));
  out.tHead!.append(head);
  const body = el('tbody');
  for (const row of t.rows) {
    const tr = el('tr');
    row.forEach((cell, c) => tr.append(el('td', c >= t.numericFrom ? 'num' : undefined, cell)));
    body.append(tr);
  }
  out.append(body);
  return out;
}

function diagram(at: Calibration['before'], caption: string, id: string): HTMLElement {
  const figure = el('figure', 'reliability');
  figure.id = id;
  const svg = new DOMParser().parseFromString(reliabilitySvg(at.bins, caption), 'image/svg+xml').documentElement;
  figure.append(document.importNode(svg, true), el('figcaption', undefined, caption));
  return figure;
}

export function calibrationSection(report: ReportJson): HTMLElement | undefined {
  const summary = calibrationTable(report.metrics);
  const model = report.metrics.calibration?.model;
  if (!summary || !model) return undefined;
  const s = el('section');
  s.id = 'calibration';
  s.append(el('h2', undefined, 'Calibration'), el('p', 'note', CALIBRATION_DEFINITION), table(summary, 'calibration-table'));
  const figures = el('div', 'columns');
  figures.append(diagram(model.before, `Before calibration (T = 1): ECE ${percent(model.before.ece)} %`, 'reliability-before'));
  if (model.after) figures.append(diagram(model.after, `With the temperature ${model.after.temperature.toFixed(3)}: ECE ${percent(model.after.ece)} %`, 'reliability-after'));
  s.append(el('h3', undefined, 'Reliability diagram (model)'), figures, table(reliabilityTable(model), 'reliability-bins'));
  return s;
}
