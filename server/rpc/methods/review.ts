// anomalyLens/reviewQueue and anomalyLens/relabelRegion.
import { resolve } from 'node:path';
import { relabelRegion } from '../../editor/relabel';
import { reviewQueue } from '../../editor/reviewQueue';
import type { ReviewQueue } from '../../editor/reviewTypes';
import type { JobContext } from '../jobRegistry';
import { Params, nonNegativeInteger } from '../params';
import { RelabelRegionRequest, ReviewQueueRequest, type RelabelRegionResult, type ReviewQueueParams } from '../protocol';
import { jobProgress, type JobNotifications } from './jobProgress';
import { UserError } from '../../util/errors';
import { SPLITS } from '../../dataset/manifestText';

export function checkReviewParams(raw: unknown): ReviewQueueParams {
  const p = Params.of(ReviewQueueRequest.method, raw);
  const splits = p.optionalStrings('splits');
  for (const s of splits ?? []) if (!(SPLITS as readonly string[]).includes(s)) throw new UserError(`splits: "${s}" is not train, val or test`);
  return {
    dataset: p.string('dataset'),
    bundle: p.optionalString('bundle'),
    ...(splits ? { splits: splits as ReviewQueueParams['splits'] } : {}),
    ...p.jobParams(),
  };
}

export async function review(params: ReviewQueueParams, job: JobContext, notify: JobNotifications): Promise<ReviewQueue> {
  const progress = jobProgress(job, params.progressToken, notify);
  try {
    return await reviewQueue({
      dataset: resolve(params.dataset),
      ...(params.bundle ? { bundle: resolve(params.bundle) } : {}),
      ...(params.splits ? { splits: params.splits } : {}),
      progress,
      signal: job.signal,
    });
  } finally {
    progress.stop();
  }
}

export async function relabel(raw: unknown): Promise<RelabelRegionResult> {
  const p = Params.of(RelabelRegionRequest.method, raw);
  const region = p.optionalNumber('region', nonNegativeInteger, 'an integer >= 0');
  if (region === undefined) throw new UserError('region is required');
  return { version: await relabelRegion(resolve(p.string('image')), region, p.string('description'), p.optionalString('version')) };
}
