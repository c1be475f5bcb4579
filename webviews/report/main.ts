// The evaluation report: paper Tables 4 and 5, kind of image, per class, top-k, mask following,
// the confusion matrix as a heat map and the qualitative gallery; or two reports side by side.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { connect, el, themeColour } from '../channel';
import type { LoadedReport, ReportEvent, ReportJson, ReportRequests, ReportState } from './messages';
import { calibrationSection } from './calibration';
import { type Table, comparisonTables, heatLevel, percent, points, reportTables } from './tables';
import './style.css';

/** Matrices with more labels than this are shown as their most frequent confusions only. */
const MATRIX_LIMIT = 40;

const channel = connect<ReportRequests, ReportEvent, ReportState>(show);
const root = document.getElementById('root') ?? document.body;

function folderName(folder: string): string {
  const parts = folder.split(/[\\/]/).filter(Boolean);
  // A report folder is often named "report": name it by its parent too.
  return parts.slice(-2).join('/') || folder;
}

function section(title: string, id?: string): HTMLElement {
  const s = el('section');
  if (id) s.id = id;
  s.append(el('h2', undefined, title));
  return s;
}

function tableElement(table: Table): HTMLElement {
  const s = section(table.title, `table-${table.id}`);
  const t = el('table');
  const headRow = el('tr');
  for (const h of table.header) headRow.append(el('th', undefined, h));
  t.append(el('thead'));
  t.tHead!.append(headRow);
  const body = el('tbody');
  table.rows.forEach((row, r) => {
    const tr = el('tr', r === table.totalRow ? 'total' : undefined);
    for (const cell of row) tr.append(el('td', [cell.num ? 'num' : '', cell.trend ?? ''].join(' ').trim() || undefined, cell.text));
    body.append(tr);
  });
  t.append(body);
  s.append(t);
  return s;
}

function facts(loaded: LoadedReport): HTMLElement {
  const { report } = loaded;
  const dl = el('dl', 'facts');
  const add = (term: string, value: string) => dl.append(el('dt', undefined, term), el('dd', undefined, value));
  add('Report', loaded.folder);
  add('Model', report.inputs.model.dir);
  if (report.inputs.baseline) add('Baseline', report.inputs.baseline.dir);
  add('Dataset', `${report.inputs.dataset.dir} (${report.inputs.dataset.split})`);
  add('Regions', `${report.metrics.regions} in ${report.metrics.images} images`);
  add('Created', new Date(report.createdAt).toLocaleString());
  return dl;
}

function summary(report: ReportJson): HTMLElement {
  const box = el('div', 'summary');
  box.id = 'summary';
  const card = (id: string, name: string, value: string) => {
    const c = el('div', 'card');
    const v = el('div', 'value', value);
    v.id = id;
    c.append(v, el('div', 'name', name));
    box.append(c);
  };
  const t = report.metrics.total;
  card('total-model', 'model accuracy (%)', percent(t.model.rate));
  if (t.baseline) {
    card('total-baseline', 'baseline accuracy (%)', percent(t.baseline.rate));
    card('total-difference', 'difference (points)', t.model.rate !== null && t.baseline.rate !== null ? points(t.model.rate - t.baseline.rate) : '—');
  }
  card('total-regions', 'regions', String(t.regions));
  return box;
}

function heatMap(report: ReportJson, role: 'model' | 'baseline', caption: string): HTMLElement {
  const matrix = report.metrics.confusion[role];
  const box = el('figure', 'heatmap');
  box.id = `heatmap-${role}`;
  box.append(el('figcaption', undefined, caption));
  if (!matrix) return box;
  if (matrix.labels.length > MATRIX_LIMIT) {
    const list = el('ol');
    for (const c of report.metrics.topConfusions[role] ?? []) list.append(el('li', undefined, `${c.truth} → ${c.predicted}: ${c.count}`));
    box.append(el('p', undefined, `${matrix.labels.length} descriptions: the most frequent confusions.`), list);
    return box;
  }
  const max = Math.max(0, ...matrix.counts.flat());
  const t = el('table');
  const head = el('tr');
  head.append(el('th', 'corner', 'truth ↓ predicted →'));
  matrix.labels.forEach((l, i) => {
    const th = el('th', 'col', String(i + 1));
    th.title = l;
    head.append(th);
  });
  t.append(head);
  matrix.counts.forEach((row, truth) => {
    const tr = el('tr');
    tr.append(el('th', 'row', `${truth + 1}. ${matrix.labels[truth]}`));
    row.forEach((n, predicted) => {
      const level = heatLevel(n, max);
      const td = el('td', level ? `cell ${truth === predicted ? 'hit' : 'miss'} l${level}` : 'cell', n ? String(n) : '');
      td.dataset.count = String(n);
      td.title = `${matrix.labels[truth]} → ${matrix.labels[predicted]}: ${n}`;
      tr.append(td);
    });
    t.append(tr);
  });
  box.append(t);
  return box;
}

/** Draws the image with the region's outline (the mask's edge) into a canvas. */
async function regionPicture(imageUri: string, maskUri: string | undefined): Promise<HTMLCanvasElement> {
  const load = (src: string) =>
    new Promise<HTMLImageElement>((resolve, reject) => {
      const img = new Image();
      img.onload = () => resolve(img);
      img.onerror = () => reject(new Error('unreadable picture'));
      img.src = src;
    });
  const image = await load(imageUri);
  // Small pictures are enlarged (up to 3×) so that the outline stays visible.
  const scale = Math.min(3, 224 / Math.max(image.naturalWidth, image.naturalHeight));
  const w = Math.max(1, Math.round(image.naturalWidth * scale));
  const h = Math.max(1, Math.round(image.naturalHeight * scale));
  const canvas = el('canvas');
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext('2d')!;
  g.drawImage(image, 0, 0, w, h);
  if (!maskUri) return canvas;
  const mask = await load(maskUri);
  const off = document.createElement('canvas');
  off.width = w;
  off.height = h;
  const mg = off.getContext('2d', { willReadFrequently: true })!;
  mg.drawImage(mask, 0, 0, w, h);
  const m = mg.getImageData(0, 0, w, h).data;
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && m[(y * w + x) * 4] > 127;
  const out = g.getImageData(0, 0, w, h);
  const colour = themeColour('--vscode-charts-yellow', '#ffcc00');
  const probe = document.createElement('canvas').getContext('2d')!;
  probe.fillStyle = colour;
  probe.fillRect(0, 0, 1, 1);
  const [r, gr, b] = probe.getImageData(0, 0, 1, 1).data;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!inside(x, y) || (inside(x - 1, y) && inside(x + 1, y) && inside(x, y - 1) && inside(x, y + 1))) continue;
      const i = (y * w + x) * 4;
      out.data[i] = r;
      out.data[i + 1] = gr;
      out.data[i + 2] = b;
      out.data[i + 3] = 255;
    }
  }
  g.putImageData(out, 0, 0);
  return canvas;
}

function answerLine(role: string, answers: { text: string; probability: number }[] | undefined, truth: string): HTMLElement {
  const p = el('p', 'answer');
  const best = answers?.[0];
  p.append(el('span', 'role', `${role}: `));
  if (!best) {
    p.append(el('span', 'none', '—'));
    return p;
  }
  p.append(el('span', best.text === truth ? 'right' : 'wrong', best.text), el('small', undefined, ` ${percent(best.probability)} %`));
  return p;
}

function gallery(report: ReportJson, pictures: Record<string, string>): HTMLElement {
  const s = section('Qualitative gallery', 'gallery');
  const grid = el('div', 'gallery');
  const byKey = new Map(report.predictions.map((p) => [`${p.image}#${p.region}`, p]));
  for (const { image, region } of report.gallery) {
    const record = byKey.get(`${image}#${region}`);
    if (!record) continue;
    const card = el('figure', 'region');
    const frame = el('button', 'picture');
    frame.title = `Open ${image}`;
    frame.addEventListener('click', () => void channel.request('openImage', { path: image }).catch(() => undefined));
    card.append(frame);
    const uri = pictures[image];
    if (uri) {
      regionPicture(uri, pictures[record.mask])
        .then((canvas) => frame.append(canvas))
        .catch((err: Error) => frame.append(el('span', 'none', err.message)));
    } else frame.append(el('span', 'none', 'no picture'));
    const caption = el('figcaption');
    caption.append(
      el('p', 'where', `${image} · region ${region + 1} of ${record.regionCount}`),
      el('p', 'truth', `Ground truth: ${record.truth}`),
      answerLine('Model', record.model, record.truth),
    );
    if (record.baseline) caption.append(answerLine('Baseline', record.baseline, record.truth));
    card.append(caption);
    grid.append(card);
  }
  if (!grid.childElementCount) s.append(el('p', undefined, 'No regions to show.'));
  s.append(grid);
  return s;
}

function actions(comparing: boolean): HTMLElement {
  const box = el('div', 'actions');
  const compare = el('vscode-button', undefined, comparing ? 'Compare with another…' : 'Compare with…');
  compare.id = 'compare';
  compare.addEventListener('click', () => void channel.request('pickCompare').catch(() => undefined));
  box.append(compare);
  if (comparing) {
    const stop = el('vscode-button', undefined, 'Stop comparing');
    stop.id = 'stop-compare';
    stop.setAttribute('secondary', '');
    stop.addEventListener('click', () => void channel.request('stopCompare').catch(() => undefined));
    box.append(stop);
  }
  return box;
}

function show(event: ReportEvent): void {
  const { report, compare, pictures } = event;
  channel.vscode.setState({ folder: report.folder, compareFolder: compare?.folder });
  const header = el('header');
  header.append(el('h1', undefined, compare ? 'Evaluation reports compared' : 'Evaluation report'), actions(!!compare));
  const children: HTMLElement[] = [header];
  if (compare) {
    const names: [string, string] = ['A', 'B'];
    document.body.classList.add('comparing');
    const columns = el('div', 'columns');
    for (const [i, loaded] of [report, compare].entries()) {
      const col = el('div', 'column');
      col.append(el('h2', undefined, `${names[i]}: ${folderName(loaded.folder)}`), facts(loaded), summary(loaded.report));
      columns.append(col);
    }
    children.push(
      columns,
      el('p', 'note', 'Change: the accuracy of the model of A minus that of the model of B, in percentage points.'),
      ...comparisonTables(report.report, compare.report, names).map(tableElement),
    );
    const maps = section('Confusion matrices (ground truth × predicted)', 'confusion');
    const pair = el('div', 'columns');
    pair.append(heatMap(report.report, 'model', `A: ${folderName(report.folder)}`), heatMap(compare.report, 'model', `B: ${folderName(compare.folder)}`));
    maps.append(pair);
    children.push(maps);
  } else {
    document.body.classList.remove('comparing');
    children.push(facts(report), summary(report.report), ...reportTables(report.report).map(tableElement));
    const maps = section('Confusion matrix (ground truth × predicted)', 'confusion');
    const pair = el('div', 'columns');
    pair.append(heatMap(report.report, 'model', 'Model'));
    if (report.report.metrics.confusion.baseline) pair.append(heatMap(report.report, 'baseline', 'Baseline'));
    maps.append(pair);
    const calibration = calibrationSection(report.report);
    children.push(maps, ...(calibration ? [calibration] : []), gallery(report.report, pictures));
  }
  root.replaceChildren(...children);
  document.title = compare ? 'Reports compared' : 'Evaluation report';
}

void channel.request('ready').catch((err: Error) => root.replaceChildren(el('p', 'error', err.message)));
