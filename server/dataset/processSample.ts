// The work on one anomalous image: read and check image and mask, split the mask into its
// regions, write one PNG per region and a copy of the image (never a link to the source).  Runs inside a worker thread.
import { isMainThread } from 'node:worker_threads';
import { readRegularFile } from '../image/regularFile';
import { readImageInfo } from '../image/read';
import { readMask } from '../image/mask';
import { readWholeImage } from '../image/wholeImage';
import { regionPng, regionPngLibvips } from '../image/write';
import { splitMask } from '../masks/split';
import type { LabelMask, Region } from '../masks/types';
import { errorMessage, type Problem } from '../util/errors';
import type { ImageRecord, RegionRecord } from './format';
import type { BuildJob } from './plan';
import type { FileStamp, SampleParams } from './fingerprint';
import { writeCachedRecord, writeCachedRecordSync } from './recordCache';
import { contentAddressed, sha256, stampOf, stampOfSync, writeOwnedFiles, writeOwnedFilesSync, type OwnedFile } from './ownedFiles';
import { drawnRegions } from './drawnRegions';
import { pushAll } from '../util/arrays';

/**
 * In a worker thread an image's files are read and written with blocking calls: there they
 * hold up nothing else, and each is one system call instead of a hand-off to libuv's thread
 * pool and back.  In the main thread (no worker script) they stay asynchronous.
 */
const blocking = !isMainThread;

export interface SampleTask {
  job: BuildJob;
  /** Output root (absolute). */
  out: string;
  params: SampleParams;
  /** Where to store the finished record for later builds. */
  cacheFile?: string;
  fingerprint?: string;
  /** Refuse images and masks with more pixels, from their header (default: image/pixelLimit.ts). */
  maxPixels?: number;
  /**
   * Work as the build did before its fast path: every image and mask decoded by libvips, the
   * image read again to be copied, region masks encoded by libvips.  Same records and pixels;
   * the build benchmark's reference.
   */
  reference?: boolean;
}

interface SourceImage {
  /** The file's bytes, to copy. */
  bytes(): Promise<Buffer>;
  width: number;
  height: number;
  /** The file's size and modification time before it was read. */
  stamp?: FileStamp;
}

/** The image's bytes and size, the file checked to be whole (see image/wholeImage.ts). */
async function readImage(task: SampleTask): Promise<SourceImage> {
  const file = task.job.image;
  if (task.reference) {
    const { width, height } = await readImageInfo(file, { maxPixels: task.maxPixels });
    return { bytes: () => readRegularFile(file, 'image'), width, height };
  }
  const stamp = blocking ? stampOfSync(file) : await stampOf(file);
  const image = await readWholeImage(file, { maxPixels: task.maxPixels, blocking });
  return { bytes: async () => image.bytes, width: image.width, height: image.height, ...(stamp ? { stamp } : {}) };
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

function regionDefect(job: BuildJob, file: string, classId: number | undefined, problems: Problem[], unknown: Set<number>): string {
  if (!job.classNames || classId === undefined) return job.defect;
  const name = job.classNames[classId];
  if (name !== undefined && name !== 'good') return name;
  if (!unknown.has(classId)) {
    unknown.add(classId);
    problems.push({
      file,
      message: `mask value ${classId} names no defect class (known: ${Object.entries(job.classNames).map(([v, n]) => `${v}=${n}`).join(', ')}); its regions keep the image's defect "${job.defect}"`,
      severity: 'warning',
    });
  }
  return job.defect;
}

type MaskRegions = { regions: (Region & { defect: string })[] } | { failure: { file: string; message: string; other?: string } };

/**
 * One mask file's regions, each with its defect. A file that gives none is reported: the image
 * is skipped when it is the image's only mask, else that mask is left out (`oneOfSeveral`).
 */
async function maskFileRegions(task: SampleTask, file: string, size: { width: number; height: number }, problems: Problem[], unknown: Set<number>, oneOfSeveral: boolean): Promise<MaskRegions> {
  const { job, params } = task;
  const classIds = job.classNames !== undefined;
  const skipped = oneOfSeveral ? 'this mask is left out' : 'image skipped';
  let mask: LabelMask;
  let foreground: number;
  let pixels: Int32Array;
  try {
    const read = await readMask(file, { ...(params.threshold !== undefined ? { threshold: params.threshold } : {}), classIds, maxPixels: task.maxPixels, generalDecoder: task.reference, blocking });
    mask = read.mask;
    foreground = read.foreground;
    pixels = read.pixels;
    for (const warning of read.warnings) problems.push({ file, message: withoutFile(warning, file), severity: 'warning' });
  } catch (err) {
    return { failure: { file, message: `cannot read mask: ${withoutFile(errorMessage(err), file)}` } };
  }

  if (mask.width !== size.width || mask.height !== size.height) {
    return { failure: { file, message: `mask is ${mask.width}x${mask.height} but its image ${job.image} is ${size.width}x${size.height}`, other: job.image } };
  }
  if (foreground === 0) {
    const above = params.threshold !== undefined ? `above ${params.threshold}` : 'above the threshold';
    problems.push({ file, message: `mask has no foreground (no value ${above}); ${skipped}`, severity: 'warning' });
    return { regions: [] };
  }

  const split = splitMask(mask, { mode: params.mode, eps: params.eps, minPts: params.minPts, minArea: params.minArea, perClass: classIds }, pixels);
  if (split.regions.length === 0) {
    problems.push({
      file,
      message: `no region left after splitting (${split.dropped} smaller than min-area ${params.minArea}, ${split.noise} noise pixels); ${skipped}`,
      severity: 'warning',
    });
    return { regions: [] };
  }
  return { regions: split.regions.map((region) => ({ ...region, defect: regionDefect(job, file, region.classId, problems, unknown) })) };
}

export async function processSample(task: SampleTask): Promise<SampleOutcome> {
  const { job, out, params } = task;
  const problems: Problem[] = [];
  const fail = (file: string, message: string, other?: string): SampleOutcome => ({
    problems: [...problems, { file, ...(other ? { other } : {}), message, severity: 'error' }],
  });

  let image: SourceImage;
  try {
    image = await readImage(task);
  } catch (err) {
    return fail(job.image, `cannot read image: ${withoutFile(errorMessage(err), job.image)}`);
  }
  const { width, height } = image;

  if (job.drawn) {
    const drawn = drawnRegions(job.drawn, job.mask, width, height, params.minArea);
    pushAll(problems, drawn.problems);
    if (drawn.regions.length === 0) {
      problems.push({ file: job.mask, message: `no region of ${job.image} left (${drawn.dropped} smaller than min-area ${params.minArea}); image skipped`, severity: 'warning', other: job.image });
      return { problems };
    }
    return writeOutput(task, image, drawn.regions, problems);
  }

  // Several masks (MVTec LOCO AD): each split on its own; their regions may overlap.
  const files = job.masks ?? [job.mask];
  const unknown = new Set<number>();
  const found: (Region & { defect: string })[] = [];
  for (const file of files) {
    const one = await maskFileRegions(task, file, { width, height }, problems, unknown, files.length > 1);
    if ('failure' in one) return fail(one.failure.file, one.failure.message, one.failure.other);
    pushAll(found, one.regions);
  }
  if (found.length === 0) {
    if (files.length > 1) problems.push({ file: job.mask, message: `none of the image's ${files.length} masks holds a region; image skipped`, severity: 'warning', other: job.image });
    return { problems };
  }
  return writeOutput(task, image, found, problems);
}

/** The image's copy and one PNG per region, and its record (kept in the build cache). */
async function writeOutput(task: SampleTask, image: SourceImage, found: readonly (Region & { defect: string })[], problems: Problem[]): Promise<SampleOutcome> {
  const { job, out } = task;
  const { width, height } = image;
  const classIds = job.classNames !== undefined;
  // Every output file is named by its content (see ownedFiles.ts): a rebuild with other
  // parameters writes new names and never changes a file the current dataset refers to.
  const regions: RegionRecord[] = [];
  const files: Record<string, string> = {};
  let destImage: string;
  try {
    const imageBytes = await image.bytes();
    const imageHash = sha256(imageBytes);
    destImage = contentAddressed(job.destImage, imageHash);
    files[destImage] = imageHash;
    const written: OwnedFile[] = [{ rel: destImage, data: imageBytes, hash: imageHash, ...(image.stamp ? { copyOf: { file: job.image, stamp: image.stamp } } : {}) }];
    const encode = task.reference ? regionPngLibvips : regionPng;
    for (const [k, region] of found.entries()) {
      const png = await encode(width, height, region.pixels);
      const hash = sha256(png);
      const file = contentAddressed(`${job.destMaskStem}_${k}.png`, hash);
      files[file] = hash;
      written.push({ rel: file, data: png, hash });
      regions[k] = {
        mask: file,
        bbox: region.bbox,
        area: region.area,
        defect: region.defect,
        description: '',
        ...(classIds && region.classId !== undefined ? { classId: region.classId } : {}),
      };
    }
    if (blocking) writeOwnedFilesSync(out, written);
    else await writeOwnedFiles(out, written);
  } catch (err) {
    return { problems: [...problems, { file: job.image, message: `cannot write the output for this image: ${errorMessage(err)}`, severity: 'error' }] };
  }

  const record: ImageRecord = { image: destImage, object: job.object, defect: job.defect, width, height, regions };
  if (task.cacheFile && task.fingerprint) {
    // A drawn region left out is an error that a build reusing this record reports again.
    const warnings = problems.filter((p) => p.severity === 'warning' || job.drawn);
    try {
      const entry = { fingerprint: task.fingerprint, record, warnings, files };
      if (blocking) writeCachedRecordSync(task.cacheFile, entry);
      else await writeCachedRecord(task.cacheFile, entry);
    } catch (err) {
      problems.push({ file: task.cacheFile, message: `cannot write the build cache: ${errorMessage(err)}`, severity: 'warning' });
    }
  }
  return { record, problems };
}
