import { resolve } from 'node:path';
import { validateDataset } from '../../dataset/validate';
import type { JobContext } from '../jobRegistry';
import { Params } from '../params';
import { ValidateRequest, type ValidateParams, type ValidateResult } from '../protocol';
import { jobProgress, type JobNotifications } from './jobProgress';

export function checkValidateParams(raw: unknown): ValidateParams {
  const p = Params.of(ValidateRequest.method, raw);
  return { dataset: p.string('dataset'), ...p.jobParams() };
}

export async function validate(params: ValidateParams, job: JobContext, notify: JobNotifications): Promise<ValidateResult> {
  const progress = jobProgress(job, params.progressToken, notify);
  const dataset = resolve(params.dataset);
  try {
    const result = await validateDataset(dataset, { onTotal: (n) => progress.start(n, 'validate'), onRecord: () => progress.tick() });
    const problems = result.problems.map((p) => ({ file: p.file, ...(p.line !== undefined ? { line: p.line } : {}), message: p.message, severity: p.severity }));
    return { dataset, valid: result.valid, problems, counts: result.counts };
  } finally {
    progress.stop();
  }
}
