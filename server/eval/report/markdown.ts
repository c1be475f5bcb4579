// report.md: the evaluation for CI logs and READMEs (paper Tables 4 and 5 and the rest).
import type { EvalInputs, Evaluation } from '../evaluate';
import type { BundleInfo } from '../provenance';
import { count, percent } from './format';
import { markdownTable } from './markdownTable';
import { CALIBRATION_DEFINITION, calibrationTable, classTable, confusionsTable, imageKindTable, maskFollowingTable, objectTable, regionCountTable, reliabilityTable, topKTable, withBaseline } from './tables';

function bundleLine(info: BundleInfo): string {
  return `\`${info.dir}\` (${info.size}, ${info.imageSize} px, ${info.alpha ? 'region-aware' : 'whole-image'})`;
}

export function candidatesLine(inputs: EvalInputs): string {
  return inputs.candidates.mode === 'all'
    ? `all ${inputs.candidates.count} descriptions of the dataset`
    : `the descriptions of each image's object (${inputs.candidates.count} in all)`;
}

export const MASK_FOLLOWING_DEFINITION =
  'Over every pair of regions of the same image whose ground-truth descriptions differ: the share of pairs whose predicted descriptions differ (a model that ignores the mask gives the same answer for every region of an image), and the share where both predictions are right.';

function section(title: string, ...blocks: string[]): string[] {
  return [`## ${title}`, '', ...blocks.flatMap((b) => [b, ''])];
}

/** Paper Tables 4 and 5, as printed on the terminal. */
export function paperTables(evaluation: Evaluation): string {
  const { metrics } = evaluation;
  return [
    'Accuracy by number of regions in the image (Table 4)',
    '',
    markdownTable(regionCountTable(metrics)),
    '',
    'Accuracy by object (Table 5)',
    '',
    markdownTable(objectTable(metrics)),
    '',
    'Accuracy by kind of image',
    '',
    markdownTable(imageKindTable(metrics)),
  ].join('\n');
}

/** ECE before and after temperature scaling and the model's reliability diagram as a table. */
function calibrationSection(evaluation: Evaluation): string[] {
  const table = calibrationTable(evaluation.metrics);
  const model = evaluation.metrics.calibration?.model;
  if (!table || !model) return [];
  const which = model.after ? `with the temperature ${model.after.temperature.toFixed(3)}` : 'without a temperature (the bundle records none)';
  return [
    ...section('Calibration', CALIBRATION_DEFINITION, markdownTable(table)),
    ...section(`Reliability diagram (model, ${which})`, markdownTable(reliabilityTable(model))),
  ];
}

/** The model's calibration in one line, for the terminal. */
export function calibrationLine(evaluation: Evaluation): string | undefined {
  const c = evaluation.metrics.calibration?.model;
  if (!c) return undefined;
  const ece = c.after
    ? `ECE ${percent(c.before.ece)} % before, ${percent(c.after.ece)} % with the temperature ${c.after.temperature.toFixed(3)}`
    : `ECE ${percent(c.before.ece)} % (the bundle records no temperature)`;
  const u = c.uncertain;
  return `Calibration (model): ${ece}; answers of ${percent(u.threshold)} % or more: ${count(u.answered)} of ${count(evaluation.metrics.regions)}, right ${percent(u.accuracy)} %; the rest uncertain`;
}

export function markdownReport(evaluation: Evaluation): string {
  const { inputs, metrics, skipped, problems } = evaluation;
  const d = inputs.dataset;
  const lines = [
    '# Region description accuracy',
    '',
    `- Dataset: \`${d.dir}\`, split \`${d.split}\`: ${count(metrics.images)} images, ${count(metrics.regions)} regions evaluated` +
      (skipped.regions || skipped.images ? ` (${count(skipped.images)} images, ${count(skipped.regions)} regions skipped, see Problems)` : ''),
    `- Model: ${bundleLine(inputs.model)}`,
    ...(inputs.baseline ? [`- Baseline: ${bundleLine(inputs.baseline)}`] : []),
    `- Candidates: ${candidatesLine(inputs)}; the prediction is the most similar one (paper eq. 3)`,
    withBaseline(metrics) ? '- Model cells show the difference to the baseline in percentage points.' : '',
    '',
    ...section('Accuracy by number of regions in the image (Table 4)', markdownTable(regionCountTable(metrics))),
    ...section('Accuracy by object (Table 5)', markdownTable(objectTable(metrics))),
    ...section('Accuracy by kind of image', markdownTable(imageKindTable(metrics))),
    ...section('Accuracy by defect class', markdownTable(classTable(metrics))),
    ...section('Top-k accuracy', markdownTable(topKTable(metrics))),
    ...section(
      'Mask following',
      MASK_FOLLOWING_DEFINITION,
      metrics.maskFollowing.model.pairs > 0 ? markdownTable(maskFollowingTable(metrics)) : 'No image of this split has regions of different descriptions.',
    ),
    ...calibrationSection(evaluation),
    ...section(
      'Most frequent confusions (model)',
      metrics.topConfusions.model.length ? markdownTable(confusionsTable(metrics, 'model')) : 'None: every region was described correctly.',
    ),
  ];
  if (problems.length) {
    lines.push('## Problems', '');
    for (const p of problems) lines.push(`- ${p.severity}: \`${p.file}\`: ${p.message}`);
    lines.push('');
  }
  lines.push(`Total accuracy: model ${percent(metrics.total.model.rate)} %` + (metrics.total.baseline ? `, baseline ${percent(metrics.total.baseline.rate)} %` : '') + '.', '');
  return lines.filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n');
}
