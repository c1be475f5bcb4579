// Export Dataset's guided steps: the dataset (when the workspace has several), the format, and
// the folder to write (a fresh one beside the dataset, named for it and the format). No `vscode`.
import type { DatasetExportFormat as ExportFormat } from '../../server/dataset/export/exportTypes';
import { EXPORT_FORMAT_LABELS, EXPORT_FORMATS } from '../../server/dataset/export/formats';
import type { Choice, Step } from '../ui/stepTable';

export interface ExportDatasetAnswers {
  dataset: string;
  format: ExportFormat;
  out: string;
}

export interface ExportDatasetContext {
  datasets: Choice<string>[];
  /** The folder proposed for the export of `dataset` as `format`. */
  proposedOut: (dataset: string, format: ExportFormat) => Promise<string>;
}

export function exportDatasetSteps(ctx: ExportDatasetContext): Step<ExportDatasetAnswers>[] {
  return [
    { id: 'dataset', title: 'dataset', applies: () => ctx.datasets.length > 1, ask: () => ({ kind: 'pick', choices: ctx.datasets }) },
    {
      id: 'format',
      title: 'format',
      ask: () => ({ kind: 'pick', choices: EXPORT_FORMATS.map((format) => ({ label: EXPORT_FORMAT_LABELS[format].name, detail: EXPORT_FORMAT_LABELS[format].detail, value: format })) }),
    },
    {
      id: 'out',
      title: 'folder to write',
      ask: () => ({ kind: 'path' }),
      proposed: (a) => (a.dataset && a.format ? ctx.proposedOut(a.dataset, a.format) : undefined),
    },
  ];
}
