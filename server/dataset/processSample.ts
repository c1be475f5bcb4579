// The work on one anomalous image: read and check image and mask, split the mask into its
// regions, write one PNG per region and a copy of the image.  Runs inside a worker thread.
import { promises as fs, constants as fsConstants } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readImageInfo } from '../image/read';
import { readMask } from '../image/mask';
import { writeRegionPng } from '../image/write';
import { splitMask } from '../masks/split';
import type { LabelMask } from '../masks/types';
import { errorMessage, type Problem } from '../util/errors';
import type { ImageRecord, RegionRecord } from './format';
import type { BuildJob } from './plan';
import type { SampleParams } from './fingerprint';
import { writeCachedRecord } from './recordCache';

export interface SampleTask {
  job: BuildJob;
  /** Output root (absolute). */
  out: string;
  params: SampleParams;
  /** Where to store the finished record for later builds. */
  cacheFile?: string;
  fingerprint?: string;
}

export interface SampleOutcome {
  /** Absent when the image could not be used (see problems). */
  record?: ImageRecord;
  problems: Problem[];
}

/** Messages of the image readers start with the file name, which the problem names already. */
function withoutFile(message: string, file: string): string {
  return message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
}

function hasForeground(mask: LabelMask): boolean {
  return mask.values.some((v) => v !== 0);
}

/** Copies without ever linking to the source (a reflink where the file system offers one), atomically. */
async function copyImage(from: string, to: string): Promise<void> {
  await fs.mkdir(dirname(to), { recursive: true });
  const tmp = join(dirname(to), `.${basename(to)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.copyFile(from, tmp, fsConstants.COPYFILE_FICLONE);
    await fs.rename(tmp, to);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

function regionDefect(job: BuildJob, classId: number | undefined, problems: Problem[], unknown: Set<number>): string {
  if (!job.classNames || classId === undefined) return job.defect;
  const name = job.classNames[classId];
  if (name !== undefined && name !== 'good') return name;
  if (!unknown.has(classId)) {
    unknown.add(classId);
    problems.push({
      file: job.mask,
      message: `mask value ${classId} names no defect class (known: ${Object.entries(job.classNames).map(([v, n]) => `${v}=${n}`).join(', ')}); its regions keep the image's defect "${job.defect}"`,
      severity: 'warning',
    });
  }
  return job.defect;
}

export async function processSample(task: SampleTask): Promise<SampleOutcome> {
  const { job, out, params } = task;
  const problems: Problem[] = [];
  const fail = (file: string, message: string, other?: string): SampleOutcome => ({
    problems: [...problems, { file, ...(other ? { other } : {}), message, severity: 'error' }],
  });

  let width: number;
  let height: number;
  try {
    ({ width, height } = await readImageInfo(job.image));
  } catch (err) {
    return fail(job.image, `cannot read image: ${withoutFile(errorMessage(err), job.image)}`);
  }

  const classIds = job.classNames !== undefined;
  let mask: LabelMask;
  try {
    const read = await readMask(job.mask, { ...(params.threshold !== undefined ? { threshold: params.threshold } : {}), classIds });
    mask = read.mask;
    for (const warning of read.warnings) problems.push({ file: job.mask, message: withoutFile(warning, job.mask), severity: 'warning' });
  } catch (err) {
    return fail(job.mask, `cannot read mask: ${withoutFile(errorMessage(err), job.mask)}`);
  }

  if (mask.width !== width || mask.height !== height) {
    return fail(job.mask, `mask is ${mask.width}x${mask.height} but its image ${job.image} is ${width}x${height}`, job.image);
  }
  if (!hasForeground(mask)) {
    const above = params.threshold !== undefined ? `above ${params.threshold}` : 'above the threshold';
    problems.push({ file: job.mask, message: `mask has no foreground (no value ${above}); image skipped`, severity: 'warning' });
    return { problems };
  }

  const split = splitMask(mask, { mode: params.mode, eps: params.eps, minPts: params.minPts, minArea: params.minArea, perClass: classIds });
  if (split.regions.length === 0) {
    problems.push({
      file: job.mask,
      message: `no region left after splitting (${split.dropped} smaller than min-area ${params.minArea}, ${split.noise} noise pixels); image skipped`,
      severity: 'warning',
    });
    return { problems };
  }

  const unknown = new Set<number>();
  const regions: RegionRecord[] = [];
  try {
    await Promise.all(
      split.regions.map(async (region, k) => {
        const file = `${job.destMaskStem}_${k}.png`;
        await writeRegionPng(join(out, file), width, height, region.pixels);
        regions[k] = {
          mask: file,
          bbox: region.bbox,
          area: region.area,
          defect: regionDefect(job, region.classId, problems, unknown),
          description: '',
          ...(classIds && region.classId !== undefined ? { classId: region.classId } : {}),
        };
      }),
    );
    await copyImage(job.image, join(out, job.destImage));
  } catch (err) {
    return fail(job.image, `cannot write the output for this image: ${errorMessage(err)}`);
  }

  const record: ImageRecord = { image: job.destImage, object: job.object, defect: job.defect, width, height, regions };
  if (task.cacheFile && task.fingerprint) {
    const warnings = problems.filter((p) => p.severity === 'warning');
    try {
      await writeCachedRecord(task.cacheFile, { fingerprint: task.fingerprint, record, warnings });
    } catch (err) {
      problems.push({ file: task.cacheFile, message: `cannot write the build cache: ${errorMessage(err)}`, severity: 'warning' });
    }
  }
  return { record, problems };
}
