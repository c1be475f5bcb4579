// report.html: one self-contained page (inline CSS under a nonce, thumbnails as data: URIs,
// no script, a Content-Security-Policy that allows nothing else).
import { randomBytes } from 'node:crypto';
import type { Evaluation } from '../evaluate';
import type { ConfusionMatrix } from '../metrics';
import type { RankedAnswer, RegionPrediction } from '../records';
import { count, percent } from './format';
import { candidatesLine, MASK_FOLLOWING_DEFINITION } from './markdown';
import { CALIBRATION_DEFINITION, type Table, calibrationTable, classTable, confusionsTable, imageKindTable, maskFollowingTable, objectTable, regionCountTable, reliabilityTable, topKTable, withBaseline } from './tables';
import { reliabilitySvg } from './reliabilitySvg';
import type { Thumbnail } from './thumbnail';
import { escapeHtml } from '../../util/html';

export interface GalleryItem {
  record: RegionPrediction;
  thumbnail?: Thumbnail;
  /** Why there is no thumbnail. */
  error?: string;
}

/** Matrices with more labels than this are shown as a list of confusions only. */
const MATRIX_LIMIT = 40;

function htmlTable(table: Table, className = ''): string {
  const head = table.header.map((h, c) => `<th${c >= table.numericFrom ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = table.rows
    .map((row, r) => {
      const cells = table.header.map((_, c) => `<td${c >= table.numericFrom ? ' class="num"' : ''}>${escapeHtml(row[c] ?? '')}</td>`).join('');
      return `<tr${r === table.totalRow ? ' class="total"' : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<table${className ? ` class="${className}"` : ''}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function confusionMatrixHtml(matrix: ConfusionMatrix): string {
  const max = Math.max(1, ...matrix.counts.flat());
  const head = matrix.labels.map((l, i) => `<th title="${escapeHtml(l)}">${i + 1}</th>`).join('');
  const rows = matrix.counts
    .map((row, t) => {
      const cells = row
        .map((n, p) => {
          // Five shades by share of the largest cell (inline styles are not allowed by the CSP).
          const level = Math.max(1, Math.ceil((5 * n) / max));
          const kind = t === p ? 'hit' : 'miss';
          return n ? `<td class="num ${kind} l${level}" title="${escapeHtml(`${matrix.labels[t]} → ${matrix.labels[p]}: ${n}`)}">${n}</td>` : '<td></td>';
        })
        .join('');
      return `<tr><th class="label">${t + 1}. ${escapeHtml(matrix.labels[t])}</th>${cells}</tr>`;
    })
    .join('\n');
  return `<table class="matrix"><thead><tr><th>Ground truth ↓ / predicted →</th>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function answerHtml(answers: readonly RankedAnswer[] | undefined, truth: string): string {
  const best = answers?.[0];
  if (!best) return '<span class="none">—</span>';
  const mark = best.text === truth ? 'right' : 'wrong';
  return `<span class="${mark}">${escapeHtml(best.text)}</span><br><small>cos ${best.cosine.toFixed(3)}, p ${percent(best.probability)} %</small>`;
}

function galleryHtml(items: readonly GalleryItem[], baseline: boolean): string {
  if (items.length === 0) return '<p>No regions to show.</p>';
  const rows = items
    .map(({ record, thumbnail, error }) => {
      const picture = thumbnail
        ? `<img src="${thumbnail.dataUri}" width="${thumbnail.width}" height="${thumbnail.height}" alt="${escapeHtml(`${record.image}, region ${record.region + 1}`)}">`
        : `<span class="none">${escapeHtml(error ?? 'no picture')}</span>`;
      const caption = `${escapeHtml(record.image)}<br><small>region ${record.region + 1} of ${record.regionCount}</small>`;
      return `<tr><td class="picture">${picture}<br>${caption}</td><td>${escapeHtml(record.truth)}</td><td>${answerHtml(record.model, record.truth)}</td>${baseline ? `<td>${answerHtml(record.baseline, record.truth)}</td>` : ''}</tr>`;
    })
    .join('\n');
  return `<table class="gallery"><thead><tr><th>Image (region outlined in white)</th><th>Ground truth</th><th>Model</th>${baseline ? '<th>Baseline</th>' : ''}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

/** The calibration table and the model's reliability diagrams before and after temperature scaling, with each bin's regions. */
function calibrationHtml(evaluation: Evaluation): string {
  const table = calibrationTable(evaluation.metrics);
  const model = evaluation.metrics.calibration?.model;
  if (!table || !model) return '';
  const figure = (at: typeof model.before, caption: string) => `<figure>${reliabilitySvg(at.bins, caption)}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
  const figures = [figure(model.before, `Before calibration (T = 1): ECE ${percent(model.before.ece)} %`)];
  if (model.after) figures.push(figure(model.after, `With the temperature ${model.after.temperature.toFixed(3)}: ECE ${percent(model.after.ece)} %`));
  return [
    `<h2 id="calibration">Calibration</h2>`,
    `<p>${escapeHtml(CALIBRATION_DEFINITION)}</p>`,
    htmlTable(table),
    `<h3>Reliability diagram (model)</h3>`,
    `<div class="reliability-figures">${figures.join('')}</div>`,
    htmlTable(reliabilityTable(model), 'reliability-bins'),
  ].join('\n');
}

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #1b1f24; background: #fff; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #d0d7de; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .6em 0; }
th, td { border: 1px solid #d0d7de; padding: .25em .6em; vertical-align: top; text-align: left; }
thead th { background: #f6f8fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; background: #f6f8fa; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; } dt { font-weight: 600; } dd { margin: 0; word-break: break-all; }
.right { color: #1a7f37; font-weight: 600; } .wrong { color: #cf222e; font-weight: 600; } .none { color: #6e7781; }
.gallery img { display: block; image-rendering: auto; min-width: 96px; height: auto; }
.gallery td.picture { width: 1%; }
.matrix th.label { white-space: nowrap; font-weight: normal; text-align: left; }
.matrix td { min-width: 1.6em; }
.matrix td.hit { background: rgba(26, 127, 55, var(--a)); } .matrix td.miss { background: rgba(207, 34, 46, var(--a)); }
.matrix .l1 { --a: .12; } .matrix .l2 { --a: .24; } .matrix .l3 { --a: .36; } .matrix .l4 { --a: .5; } .matrix .l5 { --a: .65; }
.problems li { font-family: ui-monospace, monospace; font-size: .9em; }
.reliability-figures { display: flex; flex-wrap: wrap; gap: 1.5em; } .reliability-figures figure { margin: 0; } .reliability-figures figcaption { font-size: .9em; }
svg.reliability .axis { stroke: #6e7781; } svg.reliability .diagonal { stroke: #6e7781; stroke-dasharray: 4 3; }
svg.reliability .bar { fill: #0969da; } svg.reliability .gap { fill: rgba(207, 34, 46, .35); stroke: #cf222e; stroke-width: .5; }
svg.reliability text { font-size: 10px; fill: currentColor; } svg.reliability .count { font-size: 9px; }
@media (prefers-color-scheme: dark) {
  body { color: #e6edf3; background: #0d1117; } th, td { border-color: #30363d; } thead th, tr.total td { background: #161b22; }
  .right { color: #3fb950; } .wrong { color: #f85149; }
}`;

export function htmlReport(evaluation: Evaluation, gallery: readonly GalleryItem[], nonce = randomBytes(16).toString('base64')): string {
  const { inputs, metrics, problems, skipped } = evaluation;
  const b = withBaseline(metrics);
  const csp = `default-src 'none'; img-src data:; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'`;
  const d = inputs.dataset;
  const bundle = (info: typeof inputs.model) => `${escapeHtml(info.dir)} (${escapeHtml(info.size)}, ${info.imageSize} px, ${info.alpha ? 'region-aware' : 'whole-image'})`;
  const matrix = metrics.confusion.model;
  const sections = [
    `<h1>Region description accuracy</h1>`,
    `<dl>`,
    `<dt>Dataset</dt><dd>${escapeHtml(d.dir)}, split ${escapeHtml(d.split)}: ${count(metrics.images)} images, ${count(metrics.regions)} regions evaluated${skipped.regions || skipped.images ? ` (${count(skipped.images)} images, ${count(skipped.regions)} regions skipped)` : ''}</dd>`,
    `<dt>Model</dt><dd>${bundle(inputs.model)}</dd>`,
    inputs.baseline ? `<dt>Baseline</dt><dd>${bundle(inputs.baseline)}</dd>` : '',
    `<dt>Candidates</dt><dd>${escapeHtml(candidatesLine(inputs))}</dd>`,
    `<dt>Total accuracy</dt><dd>model ${percent(metrics.total.model.rate)} %${metrics.total.baseline ? `, baseline ${percent(metrics.total.baseline.rate)} %` : ''}</dd>`,
    `</dl>`,
    `<h2>Accuracy by number of regions in the image (Table 4)</h2>`,
    htmlTable(regionCountTable(metrics)),
    `<h2>Accuracy by object (Table 5)</h2>`,
    htmlTable(objectTable(metrics)),
    `<h2>Accuracy by kind of image</h2>`,
    htmlTable(imageKindTable(metrics)),
    b ? '<p>Model cells show the difference to the baseline in percentage points.</p>' : '',
    `<h2>Qualitative examples (Fig. 2)</h2>`,
    galleryHtml(gallery, b),
    `<h2>Accuracy by defect class</h2>`,
    htmlTable(classTable(metrics)),
    `<h2>Top-k accuracy</h2>`,
    htmlTable(topKTable(metrics)),
    `<h2>Mask following</h2>`,
    `<p>${escapeHtml(MASK_FOLLOWING_DEFINITION)}</p>`,
    metrics.maskFollowing.model.pairs > 0 ? htmlTable(maskFollowingTable(metrics)) : '<p>No image of this split has regions of different descriptions.</p>',
    calibrationHtml(evaluation),
    `<h2>Confusions (model)</h2>`,
    matrix.labels.length <= MATRIX_LIMIT ? confusionMatrixHtml(matrix) : '',
    metrics.topConfusions.model.length ? htmlTable(confusionsTable(metrics, 'model')) : '<p>None: every region was described correctly.</p>',
    problems.length
      ? `<h2>Problems</h2><ul class="problems">${problems.map((p) => `<li>${escapeHtml(`${p.severity}: ${p.file}: ${p.message}`)}</li>`).join('')}</ul>`
      : '',
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Anomaly Lens evaluation: ${escapeHtml(d.split)} of ${escapeHtml(d.dir)}</title>
<style nonce="${nonce}">${CSS}
</style>
</head>
<body>
${sections.filter(Boolean).join('\n')}
</body>
</html>
`;
}
