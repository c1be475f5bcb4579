// A fingerprint per build job: what its result depends on (the source files as they are on
// disk, the splitting parameters, where it is written).  Same fingerprint => same output.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { SplitMode } from '../masks/types';
import type { BuildJob } from './plan';

/** The build parameters that change what one image produces. */
export interface SampleParams {
  mode: SplitMode;
  eps: number;
  minPts: number;
  minArea: number;
  /** Absent: the mask reader's default (0, or 127 for JPEG masks). */
  threshold?: number;
}

/** Raised whenever the per-image processing changes its output for the same inputs. */
export const RECORD_VERSION = 2;

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export function fingerprintOf(job: BuildJob, params: SampleParams, image: FileStamp, mask: FileStamp, more: readonly FileStamp[] = []): string {
  const content = {
    version: RECORD_VERSION,
    image: [job.image, image.size, image.mtimeMs],
    mask: [job.mask, mask.size, mask.mtimeMs],
    ...(job.masks ? { masks: job.masks.map((file, i) => [file, more[i]?.size, more[i]?.mtimeMs]) } : {}),
    object: job.object,
    defect: job.defect,
    classNames: job.classNames ?? null,
    drawn: job.drawn ?? null,
    split: job.split,
    destImage: job.destImage,
    destMaskStem: job.destMaskStem,
    params: [params.mode, params.eps, params.minPts, params.minArea, params.threshold ?? 'default'],
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

async function stamp(file: string): Promise<FileStamp | undefined> {
  try {
    const s = await fs.stat(file);
    return s.isFile() ? { size: s.size, mtimeMs: s.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** The job's fingerprint, or undefined when a source file cannot be stat'ed (the job then runs and reports it). */
export async function jobFingerprint(job: BuildJob, params: SampleParams): Promise<string | undefined> {
  const [image, mask, ...more] = await Promise.all([stamp(job.image), stamp(job.mask), ...(job.masks ?? []).map(stamp)]);
  if (more.some((s) => s === undefined)) return undefined;
  return image && mask ? fingerprintOf(job, params, image, mask, more as FileStamp[]) : undefined;
}
