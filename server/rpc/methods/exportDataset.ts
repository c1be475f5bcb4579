import { exportDataset, EXPORT_FORMATS } from '../../dataset/export';
import type { JobContext } from '../jobRegistry';
import { Params } from '../params';
import { ExportDatasetRequest, type DatasetExportFormat, type ExportDatasetParams, type ExportDatasetResult } from '../protocol';
import { jobProgress, type JobNotifications } from './jobProgress';

export function checkExportDatasetParams(raw: unknown): ExportDatasetParams {
  const p = Params.of(ExportDatasetRequest.method, raw);
  // A missing format is named as any missing parameter is (string() refuses it).
  const format = p.optionalOneOf('format', EXPORT_FORMATS) ?? (p.string('format') as DatasetExportFormat);
  return { dataset: p.string('dataset'), format, out: p.string('out'), ...p.jobParams() };
}

export async function exportDatasetRequest(params: ExportDatasetParams, job: JobContext, notify: JobNotifications): Promise<ExportDatasetResult> {
  return exportDataset({ dataset: params.dataset, format: params.format, out: params.out, progress: jobProgress(job, params.progressToken, notify), signal: job.signal });
}
