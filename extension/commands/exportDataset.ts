// Export Dataset…: a built dataset written as COCO or as anomalib's Folder layout, a job of the
// child server.  Non-interactive form: exportDataset({dataset, format, out}) or a dataset node/URI.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXPORT_FORMAT_LABELS, EXPORT_FORMATS } from '../../server/dataset/export/formats';
import { jobSpec } from '../../server/jobs/jobTable';
import { ExportDatasetRequest, type ExportDatasetParams, type ExportDatasetResult } from '../client/methods';
import { runJob, type JobOutcome } from '../jobProgress/ui';
import { requireTrust } from '../settings/trust';
import { absolute, askPath, choicesOf, freshFolder, pickDatasetFolder, shownPath, str, type Workbench } from './common';

type Format = ExportDatasetParams['format'];

async function askFormat(): Promise<Format | undefined> {
  const picked = await vscode.window.showQuickPick(
    EXPORT_FORMATS.map((format) => ({ label: EXPORT_FORMAT_LABELS[format].name, detail: EXPORT_FORMAT_LABELS[format].detail, format })),
    { title: 'Anomaly Lens: Export Dataset — format (1/2)', ignoreFocusOut: true },
  );
  return picked?.format;
}

export async function exportDataset(wb: Workbench, arg?: unknown): Promise<JobOutcome<ExportDatasetResult> | undefined> {
  await requireTrust('Export Dataset');
  const choices = choicesOf(arg);
  const dataset = await pickDatasetFolder(wb, choices.dataset ?? (Object.keys(choices).length ? undefined : arg));
  if (!dataset) return undefined;
  const given = str(choices.format);
  const format = given && (EXPORT_FORMATS as readonly string[]).includes(given) ? (given as Format) : await askFormat();
  if (!format) return undefined;
  const outGiven = str(choices.out);
  const out = outGiven ? absolute(outGiven) : await askPath('Export Dataset — folder to write (2/2)', await freshFolder(path.dirname(dataset), `${path.basename(dataset)}-${format}`));
  if (!out) return undefined;
  const params: ExportDatasetParams = { dataset, format, out };
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
