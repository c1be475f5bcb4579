import { join, resolve } from 'node:path';
import { SAMPLE_DEFAULTS } from '../../jobs/options';
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
    seed: p.optionalNumber('seed', (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff, 'an integer from 0 to 4294967295'),
    scale: p.optionalNumber('scale', (n) => positive(n) && n <= 50, 'a number above 0, at most 50'),
    size: p.optionalNumber('size', (n) => Number.isInteger(n) && n >= 64 && n <= 512, 'an integer from 64 to 512'),
    jobId: p.optionalString('jobId'),
    progressToken: p.optionalString('progressToken'),
  };
}

export async function createSample(params: CreateSampleParams, job: JobContext, notify: JobNotifications): Promise<CreateSampleResult> {
  checkOutputFolder(params.out, 'out');
  const out = resolve(params.out);
  const progress = jobProgress(job, params.progressToken, notify);
  try {
    const options = { seed: params.seed ?? SAMPLE_DEFAULTS.seed, scale: params.scale ?? SAMPLE_DEFAULTS.scale, size: params.size ?? SAMPLE_DEFAULTS.size };
    const result = await generateSample(out, options, { onStart: (total) => progress.start(total, 'drawing'), onImage: () => progress.tick() });
    const { layouts, counts } = result.manifest;
    const images = counts.synthetic.anomalous + counts.synthetic.good + counts.mvtec.anomalous + counts.mvtec.good;
    return { out, synthetic: join(out, layouts.synthetic.dir), mvtec: join(out, layouts.mvtec.dir), images };
  } finally {
    progress.stop();
  }
}
