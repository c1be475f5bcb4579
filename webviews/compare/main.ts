// The run comparison: the runs' training loss and validation accuracy on one chart each, one
// colour per run, and their final metrics and settings side by side in a table.
import { connect, el, themeColour } from '../channel';
import type { CompareEvent, CompareRequests, ComparedRun } from './messages';
import { createMultiChart } from './multiChart';
import { COLUMNS, tableRows } from './table';
import './style.css';

interface CompareState {
  runs: ComparedRun[];
}

/** The theme's chart colours first, then more of the same spirit for many runs. */
const PALETTE: [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-yellow', '#cca700'],
  ['', '#4ec9b0'],
  ['', '#c586c0'],
];

function colourOf(i: number): string {
  const [variable, fallback] = PALETTE[i % PALETTE.length];
  return variable ? themeColour(variable, fallback) : fallback;
}

let runs: ComparedRun[] = [];
const channel = connect<CompareRequests, CompareEvent, CompareState>(onEvent);

const root = document.getElementById('root') ?? document.body;
const heading = el('h1', undefined, 'Compare runs');
const legend = el('ul', 'legend');
legend.id = 'legend';
const charts = el('div', 'charts');
const tableBox = el('div', 'table-box');
root.append(heading, legend, charts, tableBox);
const lossChart = createMultiChart(charts, { id: 'loss', title: 'Training loss' });
const accuracyChart = createMultiChart(charts, { id: 'accuracy', title: 'Validation accuracy', format: (v) => `${+(v * 100).toFixed(1)} %` });

function render(): void {
  heading.textContent = runs.length ? `Compare runs (${runs.length})` : 'Compare runs';
  document.title = heading.textContent;
  legend.replaceChildren(
    ...runs.map((run, i) => {
      const swatch = el('span', 'swatch');
      // A CSSOM property, which the page's Content-Security-Policy allows (a style attribute it would not).
      swatch.style.background = colourOf(i);
      const item = el('li');
      item.append(swatch, el('span', undefined, run.name));
      return item;
    }),
  );
  lossChart.set(runs.map((r, i) => ({ label: r.name, colour: colourOf(i), x: r.curves.step, y: r.curves.loss })));
  accuracyChart.set(runs.map((r, i) => ({ label: r.name, colour: colourOf(i), x: r.curves.evalStep, y: r.curves.valAccuracy })));

  if (runs.length === 0) {
    tableBox.replaceChildren(el('p', 'empty', 'No runs to compare.'));
    return;
  }
  const table = el('table');
  table.id = 'runs-table';
  const head = el('tr');
  for (const c of COLUMNS) head.append(el('th', undefined, c));
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  tableRows(runs).forEach((cells, i) => {
    const tr = el('tr');
    cells.forEach((cell, column) => {
      const td = el('td', [cell.num ? 'num' : '', cell.best ? 'best' : ''].filter(Boolean).join(' ') || undefined);
      if (column === 0) {
        const swatch = el('span', 'swatch');
        swatch.style.background = colourOf(i);
        const link = el('a', undefined, cell.text);
        link.tabIndex = 0;
        link.title = 'Open its training dashboard';
        const open = () => void channel.request('openDashboard', { run: i }).catch(() => undefined);
        link.addEventListener('click', open);
        link.addEventListener('keydown', (e) => e.key === 'Enter' && open());
        td.append(swatch, ' ', link);
      } else {
        td.textContent = cell.text;
      }
      tr.append(td);
    });
    tbody.append(tr);
  });
  table.append(thead, tbody);
  tableBox.replaceChildren(table);
}

function onEvent(message: CompareEvent): void {
  if (message.kind !== 'runs') return;
  runs = message.runs;
  channel.vscode.setState({ runs });
  render();
}

runs = channel.vscode.getState()?.runs ?? [];
render();
void channel.request('ready').catch(() => undefined);
