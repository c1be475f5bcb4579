// `anomaly-lens build`: source datasets -> region-level dataset (docs/dataset.md, paper §3.2).
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { createDescriber, type ClassDescriber } from '../describe';
import { JPEG_MASK_THRESHOLD } from '../image/mask';
import { readSource } from './readers';
import { UserError, errorMessage, type Problem } from '../util/errors';
import type { Progress } from '../util/progress';
import type { BuildParameters, DatasetManifest, ImageRecord } from './format';
import { DATASET_FORMAT_VERSION } from './formatVersion';
import type { SourceDataset } from './types';
import { defaultRole, roleSplits, type SourceSpec } from './roles';
import { planBuild, type BuildJob } from './plan';
import { jobFingerprint, type SampleParams } from './fingerprint';
import { cacheFileFor, readCachedRecord, pruneRecordCache, CACHE_DIR } from './recordCache';
import { processSample, type SampleOutcome, type SampleTask } from './processSample';
import { createTaskPool, findWorkerScript } from './workerPool';
import { DescriptionBook, classKey } from './descriptions';
import { SPLITS, emptySplits, readDataset } from './manifest';
import { checkOutputLocation, checkSourcesApart } from './outputLocation';
import { faultPoint } from '../util/faultPoint';
import { checkOwnFolders, stateFiles } from './stateDir';
import { dropAbandonedStaging } from './switch';
import { commitDataset, referencedFiles, splitCounts, withDatasetLock } from './commit';
import { mapLimit } from './concurrency';
import { BUILD_DEFAULTS } from './buildDefaults';
import type { BuildRequest, BuildResult, BuildSourceSummary } from './buildTypes';
import { pushAll } from '../util/arrays';
import { TOOL_VERSION } from '../util/version';

/** What to build (buildTypes.ts), and how from the command line: limits, LLM time-outs, progress, cancellation. */
export interface BuildOptions extends BuildRequest {
  /** Images and masks with more pixels are refused (per-image errors); default: image/pixelLimit.ts. */
  maxPixels?: number;
  /** Seconds allowed for one LLM request (default $ANOMALY_LENS_LLM_TIMEOUT or 60). */
  llmTimeout?: number;
  /** Retries of a failed LLM request (default $ANOMALY_LENS_LLM_RETRIES or 5). */
  llmRetries?: number;
  /** Seconds allowed for all LLM descriptions; then the built-in ones are used (default $ANOMALY_LENS_LLM_DEADLINE or 600). */
  llmDeadline?: number;
  progress?: Progress;
  /**
   * Aborting stops scheduling images: those in flight finish (and stay in the build cache, so a
   * rerun reuses them), nothing is written to the dataset, and the build rejects with
   * BuildCancelledError.
   */
  signal?: AbortSignal;
  /** Each image processed as before the build's fast path (processSample.ts): the benchmark's reference. */
  reference?: boolean;
}

export class BuildCancelledError extends Error {
  constructor(
    /** Images done (processed or taken from the cache) when the build stopped. */
    readonly done: number,
    readonly total: number,
  ) {
    super(`the build was cancelled after ${done} of ${total} images`);
    this.name = 'BuildCancelledError';
  }
}

export type { BuildResult, BuildSourceSummary } from './buildTypes';

/** The options with every default filled in. */
type FilledOptions = BuildOptions & Required<Pick<BuildOptions, keyof typeof BUILD_DEFAULTS>>;

function withDefaults(input: BuildOptions): FilledOptions {
  const d = BUILD_DEFAULTS;
  return {
    ...input,
    mode: input.mode ?? d.mode,
    eps: input.eps ?? d.eps,
    minPts: input.minPts ?? d.minPts,
    minArea: input.minArea ?? d.minArea,
    valRatio: input.valRatio ?? d.valRatio,
    seed: input.seed ?? d.seed,
    describe: input.describe ?? d.describe,
  };
}

function checkOptions(options: FilledOptions): void {
  if (options.sources.length === 0) throw new UserError('no source dataset given');
  if (!(options.eps > 0)) throw new UserError(`--eps must be positive, got ${options.eps}`);
  if (!(Number.isInteger(options.minPts) && options.minPts >= 1)) throw new UserError(`--min-pts must be an integer >= 1, got ${options.minPts}`);
  if (!(Number.isInteger(options.minArea) && options.minArea >= 0)) throw new UserError(`--min-area must be an integer >= 0, got ${options.minArea}`);
  if (!(options.valRatio >= 0 && options.valRatio <= 1)) throw new UserError(`--val-ratio must lie in [0, 1], got ${options.valRatio}`);
  if (options.threshold !== undefined && !(options.threshold >= 0)) throw new UserError(`--threshold must be >= 0, got ${options.threshold}`);
  for (const { root } of options.sources) {
    let isDir = false;
    try {
      isDir = statSync(root).isDirectory();
    } catch (err) {
      throw new UserError(`cannot read the source: ${errorMessage(err)}`, root);
    }
    if (!isDir) throw new UserError('the source is not a folder', root);
  }
  checkSourcesApart(options.sources.map((s) => s.root));
  checkOutputLocation(options.out, options.sources.map((s) => s.root));
}

async function readSources(specs: readonly SourceSpec[]): Promise<SourceDataset[]> {
  const datasets: SourceDataset[] = [];
  for (const spec of specs) {
    try {
      datasets.push(await readSource(spec.root, spec.kind ? { kind: spec.kind } : {}));
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw new UserError(`cannot read the source: ${errorMessage(err)}`, spec.root);
    }
  }
  return datasets;
}

function byImage(a: ImageRecord, b: ImageRecord): number {
  return a.image < b.image ? -1 : a.image > b.image ? 1 : 0;
}

/** Files the previous dataset in `out` refers to (it was built by this tool: they are ours to replace). */
async function previousFiles(out: string): Promise<string[]> {
  try {
    return [...referencedFiles((await readDataset(out)).records)];
  } catch {
    return [];
  }
}

/**
 * Builds into `out` under its lock.  The folder holds the previous complete dataset until the
 * switch and the new one after it, whenever the process stops (see switch.ts); afterwards only
 * files this tool wrote and the new dataset no longer uses are deleted.
 */
export async function buildDataset(input: BuildOptions): Promise<BuildResult> {
  const options = withDefaults({ ...input, out: resolve(input.out), sources: input.sources.map((s) => ({ ...s, root: resolve(s.root) })) });
  checkOptions(options);
  // Made before anything is written: a refused LLM setting leaves a new output folder untouched.
  const out = options.out;
  const describer = createDescriber({
    mode: options.describe,
    ...(options.overrides ? { overrides: options.overrides } : {}),
    llm: {
      model: options.llmModel,
      baseURL: options.llmBaseUrl,
      cacheDir: join(out, CACHE_DIR, 'llm'),
      ...(options.llmTimeout !== undefined ? { timeoutMs: options.llmTimeout * 1000 } : {}),
      ...(options.llmRetries !== undefined ? { maxRetries: options.llmRetries } : {}),
      ...(options.llmDeadline !== undefined ? { deadlineMs: options.llmDeadline * 1000 } : {}),
    },
  });
  mkdirSync(options.out, { recursive: true });
  checkOwnFolders(options.out);
  return withDatasetLock(options.out, 'anomaly-lens build', async (lock) => {
    await dropAbandonedStaging(options.out);
    rmSync(stateFiles(options.out).tmp, { recursive: true, force: true });
    const result = await buildLocked(options, describer);
    if (lock.tookOverFrom) {
      result.problems.unshift({
        file: lock.file,
        message: `took over the lock of a build that is no longer running (pid ${lock.tookOverFrom.pid}, since ${lock.tookOverFrom.since})`,
        severity: 'warning',
      });
      result.warnings++;
    }
    return result;
  });
}

async function buildLocked(options: FilledOptions, describer: ClassDescriber): Promise<BuildResult> {
  const started = Date.now();
  const out = options.out;
  const params: SampleParams = {
    mode: options.mode,
    eps: options.eps,
    minPts: options.minPts,
    minArea: options.minArea,
    ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
  };
  const book = new DescriptionBook(describer, () => createDescriber({ mode: 'builtin' }));

  const datasets = await readSources(options.sources);
  const roles = datasets.map((d, i) => options.sources[i].role ?? defaultRole(d.kind));
  const plan = planBuild(
    datasets.map((dataset, i) => ({ dataset, role: roles[i] })),
    { valRatio: options.valRatio, seed: options.seed },
  );
  const problems: Problem[] = [...datasets.flatMap((d) => d.problems), ...plan.problems];

  for (const job of plan.jobs) {
    if (job.drawn) for (const region of job.drawn) book.request(job.object, region.defect, job.image, region.description !== undefined ? { text: region.description, file: job.mask } : undefined);
    else if (!job.classNames) book.request(job.object, job.defect, job.image);
  }

  // Cached records first: a rerun decodes nothing it has already done.
  const outcomes: (SampleOutcome | undefined)[] = new Array(plan.jobs.length);
  const used = new Set<string>();
  const toRun: number[] = [];
  const fingerprints = await mapLimit(plan.jobs, 64, async (job, i) => {
    const fp = await jobFingerprint(job, params);
    const cached = fp ? await readCachedRecord(out, fp) : undefined;
    if (cached && fp) {
      outcomes[i] = { record: cached.record, problems: cached.warnings };
      used.add(fp);
    } else toRun.push(i);
    return fp;
  });
  toRun.sort((a, b) => a - b);
  const cachedCount = plan.jobs.length - toRun.length;
  const signal = options.signal;
  const cancelled = (done: number): BuildCancelledError => {
    // Descriptions already asked for finish in the background (an LLM's answers are cached).
    book.settle().catch(() => undefined);
    return new BuildCancelledError(done, plan.jobs.length);
  };
  if (signal?.aborted) throw cancelled(0);

  const processingStarted = Date.now();
  const progress = options.progress;
  progress?.start(plan.jobs.length, 'build');
  if (cachedCount > 0) progress?.tick(cachedCount, `${cachedCount} cached`);
  // Class-id masks name their regions' defects only once decoded.
  const describeRegions = (job: BuildJob, outcome: SampleOutcome) => {
    if (!job.classNames) return;
    for (const region of outcome.record?.regions ?? []) book.request(job.object, region.defect, job.image);
  };

  const workers = Math.min(options.workers ?? availableParallelism(), toRun.length);
  const pool = createTaskPool<SampleTask, SampleOutcome>({
    workers,
    script: findWorkerScript(__dirname, 'build-worker', 'buildWorker'),
    inline: processSample,
  });
  let done = cachedCount;
  try {
    // A few more images in hand than the pool runs at once keeps it busy; the rest wait here,
    // where a cancellation can still drop them.
    await mapLimit(toRun, Math.max(1, pool.size) * 4, async (i) => {
      if (signal?.aborted) return;
      const job = plan.jobs[i];
      const fp = fingerprints[i];
      const task: SampleTask = { job, out, params, ...(fp ? { fingerprint: fp, cacheFile: cacheFileFor(out, fp) } : {}), ...(options.maxPixels !== undefined ? { maxPixels: options.maxPixels } : {}), ...(options.reference ? { reference: true } : {}) };
      let outcome: SampleOutcome;
      try {
        outcome = await pool.run(task);
      } catch (err) {
        outcome = { problems: [{ file: job.image, message: `processing failed: ${errorMessage(err)}`, severity: 'error' }] };
      }
      if (outcome.record && fp) used.add(fp);
      outcomes[i] = outcome;
      done++;
      faultPoint(`image:${done}`);
      progress?.tick(1, job.object);
    });
  } finally {
    await pool.close();
    progress?.stop();
  }
  if (signal?.aborted) throw cancelled(done);
  faultPoint('processed');
  const processingSeconds = (Date.now() - processingStarted) / 1000;

  // In plan order, not completion order: a class's example image (part of an LLM answer's
  // cache key) must not depend on which worker finished first.
  outcomes.forEach((o, i) => o && describeRegions(plan.jobs[i], o));
  const { entries, problems: describeProblems } = await book.settle();
  const texts = new Map(entries.map((e) => [classKey(e.object, e.defect), e.text]));
  const records = emptySplits<ImageRecord[]>(() => []);
  let skipped = 0;
  outcomes.forEach((outcome, i) => {
    const o = outcome as SampleOutcome;
    pushAll(problems, o.problems);
    if (!o.record) {
      skipped++;
      return;
    }
    const record: ImageRecord = {
      ...o.record,
      regions: o.record.regions.map((r) => ({ ...r, description: texts.get(classKey(o.record!.object, r.defect)) ?? '' })),
    };
    records[plan.jobs[i].split].push(record);
  });
  pushAll(pushAll(problems, describeProblems), describer.problems());
  for (const split of SPLITS) records[split].sort(byImage);

  const counts = splitCounts(records);
  const described = new Set(SPLITS.flatMap((s) => records[s].flatMap((r) => r.regions.map((g) => classKey(r.object, g.defect)))));
  const descriptions = entries.filter((e) => described.has(classKey(e.object, e.defect)));
  const parameters: BuildParameters = {
    mode: params.mode,
    eps: params.eps,
    minPts: params.minPts,
    minArea: params.minArea,
    threshold: params.threshold ?? 0,
    jpegThreshold: params.threshold ?? JPEG_MASK_THRESHOLD,
    splitSeed: options.seed,
    valRatio: options.valRatio,
    describe: options.describe,
  };
  const manifest: DatasetManifest = {
    formatVersion: DATASET_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    tool: { name: 'anomaly-lens', version: TOOL_VERSION },
    sources: datasets.map((d, i) => ({ kind: d.kind, root: d.root, splits: roleSplits(roles[i]) })),
    parameters,
    objects: [...new Set(SPLITS.flatMap((s) => records[s].map((r) => r.object)))].sort(),
    defects: descriptions.map((d) => ({ object: d.object, defect: d.defect })),
    descriptions,
    counts,
    goodImages: plan.goodImages,
  };
  const previous = await previousFiles(out);
  const committed = await commitDataset(out, { manifest, records }, previous);
  const stats = committed.stats;
  pushAll(problems, committed.problems);
  await pruneRecordCache(out, used);
  faultPoint('pruned');

  return {
    out,
    sources: datasets.map((d, i) => ({
      root: d.root,
      kind: d.kind,
      role: roles[i],
      splits: roleSplits(roles[i]),
      anomalousImages: plan.anomalousPerSource[i],
      goodImages: plan.goodPerSource[i],
    })),
    counts,
    images: { total: plan.jobs.length, processed: toRun.length, cached: cachedCount, skipped },
    workers,
    seconds: (Date.now() - started) / 1000,
    imagesPerSecond: processingSeconds > 0 ? toRun.length / processingSeconds : 0,
    descriptions: descriptions.length,
    errors: problems.filter((p) => p.severity === 'error').length,
    warnings: problems.filter((p) => p.severity === 'warning').length,
    problems,
    stats,
  };
}
