import { BuildCancelledError, buildDataset } from '../../dataset/build';
import { SOURCE_KINDS, SOURCE_ROLES, type SourceSpec } from '../../dataset/roles';
import { DESCRIBE_MODES, SPLIT_MODES } from '../../jobs/options';
import type { JobContext } from '../jobRegistry';
import { Params, nonNegative, nonNegativeInteger, positive, positiveInteger } from '../params';
import { BuildDatasetRequest, type BuildDatasetParams, type BuildDatasetResult } from '../protocol';
import { jobProgress, type JobNotifications } from './jobProgress';

export function checkBuildParams(raw: unknown): BuildDatasetParams {
  const p = Params.of(BuildDatasetRequest.method, raw);
  const sources = p.objects('sources').map((s): SourceSpec => {
    const role = s.optionalOneOf('role', SOURCE_ROLES);
    const kind = s.optionalOneOf('kind', SOURCE_KINDS);
    return { root: s.string('root'), ...(role ? { role } : {}), ...(kind ? { kind } : {}) };
  });
  return {
    sources,
    out: p.string('out'),
    mode: p.optionalOneOf('mode', SPLIT_MODES),
    eps: p.optionalNumber('eps', positive, 'a positive number of pixels'),
    minPts: p.optionalNumber('minPts', positiveInteger, 'an integer of at least 1'),
    minArea: p.optionalNumber('minArea', nonNegativeInteger, 'an integer >= 0'),
    threshold: p.optionalNumber('threshold', nonNegative, 'a number >= 0'),
    valRatio: p.optionalNumber('valRatio', (n) => n >= 0 && n <= 1, 'a number from 0 to 1'),
    seed: p.optionalNumber('seed', Number.isInteger, 'an integer'),
    workers: p.optionalNumber('workers', nonNegativeInteger, 'an integer >= 0'),
    describe: p.optionalOneOf('describe', DESCRIBE_MODES),
    llmModel: p.optionalString('llmModel'),
    llmBaseUrl: p.optionalString('llmBaseUrl'),
    overrides: p.optionalString('overrides'),
    ...p.jobParams(),
  };
}

export async function buildDatasetRequest(params: BuildDatasetParams, job: JobContext, notify: JobNotifications): Promise<BuildDatasetResult> {
  const token = params.progressToken;
  job.progress({ done: 0, total: 0, message: 'reading the sources' });
  if (token) notify.progress({ token, done: 0, total: 0, message: 'reading the sources' });
  try {
    const result = await buildDataset({
      sources: params.sources,
      out: params.out,
      mode: params.mode,
      eps: params.eps,
      minPts: params.minPts,
      minArea: params.minArea,
      ...(params.threshold !== undefined ? { threshold: params.threshold } : {}),
      valRatio: params.valRatio,
      seed: params.seed,
      workers: params.workers,
      describe: params.describe,
      llmModel: params.llmModel,
      llmBaseUrl: params.llmBaseUrl,
      overrides: params.overrides,
      progress: jobProgressWithoutAbort(job, token, notify),
      signal: job.signal,
    });
    return { cancelled: false, result };
  } catch (err) {
    if (err instanceof BuildCancelledError) return { cancelled: true, done: err.done, total: err.total };
    throw err;
  }
}

/** The build stops itself on the signal (resolving `cancelled`), so its ticks never throw. */
function jobProgressWithoutAbort(job: JobContext, token: string | undefined, notify: JobNotifications) {
  const progress = jobProgress(job, token, notify);
  return { ...progress, tick: (n?: number, info?: string) => (job.signal.aborted ? undefined : progress.tick(n, info)) };
}
