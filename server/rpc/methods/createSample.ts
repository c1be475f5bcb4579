import { join, resolve } from 'node:path';
import { SAMPLE_LIMITS } from '../../jobs/options';
import { generateSample } from '../../sample/generate';
import { checkOutputFolder } from '../../util/outputPath';
import type { JobContext } from '../jobRegistry';
import { Params, positive } from '../params';
import { CreateSampleRequest, type CreateSampleParams, type CreateSampleResult } from '../protocol';
import { jobProgress, type JobNotifications } from './jobProgress';

export function checkCreateSampleParams(raw: unknown): CreateSampleParams {
  const p = Params.of(CreateSampleRequest.method, raw);
  return {
    out: p.string('out'),
    seed: p.optionalNumber('seed', (n) => Number.isInteger(n) && n >= 0 && n <= SAMPLE_LIMITS.maxSeed, `an integer from 0 to ${SAMPLE_LIMITS.maxSeed}`),
    scale: p.optionalNumber('scale', (n) => positive(n) && n <= SAMPLE_LIMITS.maxScale, `a number above 0, at most ${SAMPLE_LIMITS.maxScale}`),
    size: p.optionalNumber('size', (n) => Number.isInteger(n) && n >= SAMPLE_LIMITS.minSize && n <= SAMPLE_LIMITS.maxSize, `an integer from ${SAMPLE_LIMITS.minSize} to ${SAMPLE_LIMITS.maxSize}`),
    ...p.jobParams(),
  };
}

export async function createSample(params: CreateSampleParams, job: JobContext, notify: JobNotifications): Promise<CreateSampleResult> {
  checkOutputFolder(params.out, 'out');
  const out = resolve(params.out);
  const progress = jobProgress(job, params.progressToken, notify);
  try {
    const options = { seed: params.seed, scale: params.scale, size: params.size };
    const result = await generateSample(out, options, { onStart: (total) => progress.start(total, 'drawing'), onImage: () => progress.tick() });
    const { layouts, counts } = result.manifest;
    const images = counts.synthetic.anomalous + counts.synthetic.good + counts.mvtec.anomalous + counts.mvtec.good;
    return { out, synthetic: join(out, layouts.synthetic.dir), mvtec: join(out, layouts.mvtec.dir), images };
  } finally {
    progress.stop();
  }
}
