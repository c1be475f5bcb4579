import { resolve } from 'node:path';
import { evaluateToReport } from '../../jobs/evaluate';
import { CANDIDATE_MODES } from '../../eval/candidates';
import { SPLITS } from '../../dataset/manifestText';
import { TOOL_VERSION } from '../../util/version';
import type { JobContext } from '../jobRegistry';
import { Params } from '../params';
import { EvaluateRequest, type EvaluateParams, type EvaluateResult } from '../protocol';
import { jobProgress, type JobNotifications } from './jobProgress';

export function checkEvaluateParams(raw: unknown): EvaluateParams {
  const p = Params.of(EvaluateRequest.method, raw);
  return {
    dataset: p.string('dataset'),
    split: p.optionalOneOf('split', SPLITS),
    bundle: p.optionalString('bundle'),
    baseline: p.optionalString('baseline'),
    candidates: p.optionalOneOf('candidates', CANDIDATE_MODES),
    out: p.string('out'),
    ...p.jobParams(),
  };
}

export async function evaluateReport(params: EvaluateParams, job: JobContext, notify: JobNotifications & { warn(message: string): void }): Promise<EvaluateResult> {
  const progress = jobProgress(job, params.progressToken, notify);
  const { evaluation, files } = await evaluateToReport(
    { dataset: resolve(params.dataset), split: params.split, bundle: params.bundle, baseline: params.baseline, candidates: params.candidates, out: params.out, outLabel: 'out', version: TOOL_VERSION },
    { progress, warn: notify.warn },
  );
  const { total } = evaluation.metrics;
  return {
    out: resolve(params.out),
    reportJson: files.json,
    reportHtml: files.html,
    total: { regions: total.regions, model: total.model.rate ?? 0, ...(total.baseline ? { baseline: total.baseline.rate ?? 0 } : {}) },
    problems: evaluation.problems.length,
  };
}
