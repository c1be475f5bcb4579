// Export Dataset…: a built dataset written as COCO or as anomalib's Folder layout, a job of the
// child server.  Non-interactive form: exportDataset({dataset, format, out}) or a dataset node/URI.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXPORT_FORMAT_LABELS, EXPORT_FORMATS } from '../../server/dataset/export/formats';
import { jobSpec } from '../../server/jobs/jobTable';
import { ExportDatasetRequest, type ExportDatasetParams, type ExportDatasetResult } from '../client/methods';
import { runJob, type JobOutcome } from '../jobProgress/ui';
import { requireTrust } from '../settings/trust';
import { exportDatasetSteps } from '../export/exportDatasetSteps';
import { runSteps } from '../ui/runSteps';
import { StepWalk } from '../ui/stepTable';
import { absolute, choicesOf, datasetChoices, fixedDataset, freshFolder, givenDataset, shownPath, str, type Workbench } from './common';

const TITLE = 'Anomaly Lens: Export Dataset';

type Format = ExportDatasetParams['format'];

function formatOf(value: unknown): Format | undefined {
  const given = str(value);
  return given && (EXPORT_FORMATS as readonly string[]).includes(given) ? (given as Format) : undefined;
}

export async function exportDataset(wb: Workbench, arg?: unknown): Promise<JobOutcome<ExportDatasetResult> | undefined> {
  await requireTrust('Export Dataset');
  const choices = choicesOf(arg);
  const given = givenDataset(choices.dataset ?? (Object.keys(choices).length ? undefined : arg));
  const datasets = given ? [] : await datasetChoices(wb);
  if (!datasets) return undefined;
  const format = formatOf(choices.format);
  const outGiven = str(choices.out);
  const walk = new StepWalk(
    exportDatasetSteps({ datasets, proposedOut: (dataset, f) => freshFolder(path.dirname(dataset), `${path.basename(dataset)}-${f}`) }),
    { given: { ...fixedDataset(given, datasets), ...(format ? { format } : {}), ...(outGiven ? { out: absolute(outGiven) } : {}) } },
  );
  const asked = await runSteps(TITLE, walk);
  if (!asked?.dataset || !asked.format || !asked.out) return undefined;
  const [dataset, out] = [asked.dataset, absolute(asked.out)];
  const params: ExportDatasetParams = { dataset, format: asked.format, out };
  const outcome = await runJob(wb.jobs, ExportDatasetRequest, params, jobSpec('exportDataset', params, shownPath), { retry: () => exportDataset(wb, params) });
  if (outcome.state === 'finished') {
    const r = outcome.result;
    for (const p of r.problems) wb.jobs.channel[p.severity === 'error' ? 'error' : 'warn'](`${p.file}: ${p.message}`);
    const what = r.format === 'coco' ? `${r.images} images, ${r.regions} regions, ${r.categories} categories` : `${r.images} anomalous and ${r.normalImages} normal images`;
    const reveal = 'Reveal in Explorer';
    void vscode.window
      .showInformationMessage(`Anomaly Lens: exported ${shownPath(dataset)} as ${EXPORT_FORMAT_LABELS[r.format].name} to ${shownPath(r.out)} (${what})${r.problems.length ? `; ${r.problems.length} problem(s) in the log` : ''}.`, reveal)
      .then((answer) => {
        if (answer === reveal) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(r.out));
      });
  }
  return outcome;
}
