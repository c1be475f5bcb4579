import { availableParallelism } from 'node:os';
import { BuildCancelledError, buildDataset } from '../../dataset/build';
import { SOURCE_KINDS, SOURCE_ROLES, type SourceSpec } from '../../dataset/roles';
import type { SplitMode } from '../../masks/types';
import { Params, nonNegative, nonNegativeInteger, positive, positiveInteger } from '../params';
import { notifyingProgress } from '../progress';
import { BuildDatasetRequest, type BuildDatasetParams, type BuildDatasetResult, type ProgressParams } from '../protocol';

const MODES: readonly SplitMode[] = ['dbscan', 'cc4', 'cc8'];

/** The CLI's defaults (anomaly-lens build --help). */
const DEFAULTS = { mode: 'dbscan', eps: 1.5, minPts: 1, minArea: 0, valRatio: 0.29, seed: 0, describe: 'builtin' } as const;

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
    mode: p.optionalOneOf('mode', MODES),
    eps: p.optionalNumber('eps', positive, 'a positive number of pixels'),
    minPts: p.optionalNumber('minPts', positiveInteger, 'an integer of at least 1'),
    minArea: p.optionalNumber('minArea', nonNegativeInteger, 'an integer >= 0'),
    threshold: p.optionalNumber('threshold', nonNegative, 'a number >= 0'),
    valRatio: p.optionalNumber('valRatio', (n) => n >= 0 && n <= 1, 'a number from 0 to 1'),
    seed: p.optionalNumber('seed', Number.isInteger, 'an integer'),
    workers: p.optionalNumber('workers', nonNegativeInteger, 'an integer >= 0'),
    describe: p.optionalOneOf('describe', ['builtin', 'llm'] as const),
    llmModel: p.optionalString('llmModel'),
    llmBaseUrl: p.optionalString('llmBaseUrl'),
    overrides: p.optionalString('overrides'),
    progressToken: p.optionalString('progressToken'),
  };
}

export async function buildDatasetRequest(
  params: BuildDatasetParams,
  signal: AbortSignal,
  notify: (progress: ProgressParams) => void,
): Promise<BuildDatasetResult> {
  const token = params.progressToken;
  const send = token ? (update: Omit<ProgressParams, 'token'>) => notify({ token, ...update }) : () => {};
  send({ done: 0, total: 0, message: 'reading the sources' });
  try {
    const result = await buildDataset({
      sources: params.sources,
      out: params.out,
      mode: params.mode ?? DEFAULTS.mode,
      eps: params.eps ?? DEFAULTS.eps,
      minPts: params.minPts ?? DEFAULTS.minPts,
      minArea: params.minArea ?? DEFAULTS.minArea,
      ...(params.threshold !== undefined ? { threshold: params.threshold } : {}),
      valRatio: params.valRatio ?? DEFAULTS.valRatio,
      seed: params.seed ?? DEFAULTS.seed,
      workers: params.workers ?? availableParallelism(),
      describe: params.describe ?? DEFAULTS.describe,
      llmModel: params.llmModel,
      llmBaseUrl: params.llmBaseUrl,
      overrides: params.overrides,
      progress: notifyingProgress(send),
      signal,
    });
    return { cancelled: false, result };
  } catch (err) {
    if (err instanceof BuildCancelledError) return { cancelled: true, done: err.done, total: err.total };
    throw err;
  }
}
