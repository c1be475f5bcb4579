// anomalyLens/export and anomalyLens/importWeights: trainer subcommands that write a bundle.
import { exportRun } from '../../jobs/exportRun';
import { importWeights } from '../../jobs/importWeights';
import type { JobContext } from '../jobRegistry';
import { Params } from '../params';
import { ExportRequest, ImportWeightsRequest, type ExportParams, type ExportResult, type ImportWeightsParams, type ImportWeightsResult } from '../protocol';
import type { JobNotifications } from './jobProgress';

export function checkExportParams(raw: unknown): ExportParams {
  const p = Params.of(ExportRequest.method, raw);
  return { run: p.string('run'), out: p.string('out'), checkpoint: p.optionalString('checkpoint'), python: p.optionalString('python'), ...p.jobParams() };
}

export function checkImportWeightsParams(raw: unknown): ImportWeightsParams {
  const p = Params.of(ImportWeightsRequest.method, raw);
  return {
    clip: p.string('clip'),
    alpha: p.optionalString('alpha'),
    vocab: p.string('vocab'),
    out: p.string('out'),
    wholeImage: p.optionalBoolean('wholeImage'),
    python: p.optionalString('python'),
    ...p.jobParams(),
  };
}

function trainerHooks(job: JobContext, token: string | undefined, notify: JobNotifications) {
  return {
    signal: job.signal,
    onLog: notify.log,
    onEvent: (event: Parameters<JobNotifications['event']>[0]['event']) => {
      if (token) notify.event({ token, event });
    },
  };
}

export async function exportBundle(params: ExportParams, job: JobContext, notify: JobNotifications): Promise<ExportResult> {
  const { bundle } = await exportRun({ run: params.run, out: params.out, outLabel: 'out', checkpoint: params.checkpoint, python: params.python }, trainerHooks(job, params.progressToken, notify));
  return { bundle };
}

export async function importBundle(params: ImportWeightsParams, job: JobContext, notify: JobNotifications): Promise<ImportWeightsResult> {
  const { bundle, licences } = await importWeights(
    { clip: params.clip, alpha: params.alpha, vocab: params.vocab, out: params.out, outLabel: 'out', wholeImage: params.wholeImage, python: params.python },
    trainerHooks(job, params.progressToken, notify),
  );
  return { bundle, licences };
}
