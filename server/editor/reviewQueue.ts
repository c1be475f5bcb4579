// The review queue of a built dataset: every region whose ground-truth description a bundle
// disagrees with, most confident disagreement first — where a label is most likely wrong, or the
// model most surely is.  Computed with the evaluation engine over every split, and cached per
// (dataset manifests, bundle) in the dataset's tool folder.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '../eval';
import type { EvalProgress } from '../eval/evaluate';
import { MANIFEST_FILE, SPLITS, parseJsonl, splitFile } from '../dataset/manifest';
import { stateFiles } from '../dataset/stateDir';
import { readSteady } from '../dataset/steadyRead';
import type { Split } from '../dataset/types';
import { defaultBundleDir } from '../model/defaultBundle';
import { BUNDLE_MANIFEST } from '../model/bundle';
import { DEFAULT_UNCERTAIN_BELOW } from '../model/confidence';
import { writeFileAtomic } from '../util/atomicWrite';
import { UserError } from '../util/errors';
import { faultPoint } from '../util/faultPoint';
import { progressInStages } from '../util/progress';
import type { ReviewItem, ReviewQueue } from './reviewTypes';
import { recordVersion } from './regionsVersion';

const CACHE_VERSION = 3;

async function digestOf(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file);
    try {
      hash.update(await fs.readFile(file));
    } catch {
      hash.update('missing');
    }
  }
  return hash.digest('hex');
}

/** The regions a split file lists (its readable lines), 0 when it cannot be read: a split's share of the progress. */
async function regionCount(dataset: string, split: Split): Promise<number> {
  try {
    return parseJsonl(await fs.readFile(join(dataset, splitFile(split)), 'utf8')).reduce((n, { value }) => {
      const regions = (value as { regions?: unknown } | undefined)?.regions;
      return n + (Array.isArray(regions) ? regions.length : 0);
    }, 0);
  } catch {
    return 0;
  }
}

function cacheFile(dataset: string, bundleDigest: string): string {
  return join(stateFiles(dataset).dir, 'review', `${bundleDigest.slice(0, 16)}.json`);
}

export interface ReviewOptions {
  dataset: string;
  bundle?: string;
  /** Splits to review (default all three). */
  splits?: readonly Split[];
  progress?: EvalProgress;
  signal?: AbortSignal;
}

/**
 * The queue, from the cache when neither the dataset's manifests nor the bundle changed.  Every
 * split is of one version of the dataset, the old or the new: a rebuild that switched it while
 * the queue was computed makes it be computed again (steadyRead.ts).
 */
export async function reviewQueue(options: ReviewOptions): Promise<ReviewQueue> {
  const dataset = options.dataset;
  const bundle = options.bundle ?? defaultBundleDir();
  const splits = options.splits ?? SPLITS;
  const bundleDigest = await digestOf([join(bundle, BUNDLE_MANIFEST)]);
  const file = cacheFile(dataset, `${bundleDigest}${splits.join(',')}`);
  const { queue, datasetDigest } = await readSteady(dataset, () => queueOnce(options, bundle, splits, file));
  // Kept only once it is known to be of one version of the dataset.
  if (!queue.cached) await writeFileAtomic(file, JSON.stringify({ ...queue, version: CACHE_VERSION, datasetDigest }), stateFiles(dataset).tmp).catch(() => undefined);
  return queue;
}

async function queueOnce(options: ReviewOptions, bundle: string, splits: readonly Split[], file: string): Promise<{ queue: ReviewQueue; datasetDigest: string }> {
  const dataset = options.dataset;
  const datasetDigest = await digestOf([MANIFEST_FILE, ...SPLITS.map(splitFile)].map((f) => join(dataset, f)));
  try {
    const cached = JSON.parse(await fs.readFile(file, 'utf8')) as ReviewQueue & { version: number; datasetDigest: string };
    if (cached.version === CACHE_VERSION && cached.datasetDigest === datasetDigest) return { queue: { ...cached, cached: true }, datasetDigest };
  } catch {
    // no cache yet, or an unreadable one: compute
  }

  const items: ReviewItem[] = [];
  let regions = 0;
  // Each split is evaluated on its own: one progress over them all, each split its share by its regions.
  const progress = options.progress && progressInStages(options.progress, await Promise.all(splits.map((s) => regionCount(dataset, s))), `reviewing the regions of ${splits.join(', ')}`);
  for (const [k, split] of splits.entries()) {
    if (options.signal?.aborted) throw new UserError('the review was cancelled');
    let evaluation;
    try {
      evaluation = await evaluate({ dataset, split, bundle, candidates: 'all', topK: 3, progress: progress?.stages[k] });
    } catch (err) {
      if (err instanceof UserError && /has no regions to evaluate/.test(err.message)) continue;
      throw err;
    }
    faultPoint('review:split');
    regions += evaluation.predictions.length;
    // Each item names the version of its image's regions the bundle saw, so a relabel from the queue is refused once they moved on.
    const versions = new Map(evaluation.datasetRecords[split].map((r) => [r.image, recordVersion(split, r)]));
    const uncertainBelow = evaluation.metrics.calibration?.model.uncertain.threshold ?? DEFAULT_UNCERTAIN_BELOW;
    for (const p of evaluation.predictions) {
      const best = p.model[0];
      if (!best || best.text === p.truth) continue;
      items.push({
        split,
        image: join(dataset, p.image),
        record: p.image,
        region: p.region,
        mask: p.mask,
        object: p.object,
        defect: p.defect,
        truth: p.truth,
        model: p.model.map((r) => ({ text: r.text, probability: r.probability })),
        confidence: best.probability,
        uncertain: best.probability < uncertainBelow,
        truthProbability: p.model.find((r) => r.text === p.truth)?.probability ?? 0,
        version: versions.get(p.image) ?? 'record:missing',
      });
    }
  }
  progress?.finish();
  items.sort((a, b) => b.confidence - a.confidence || a.record.localeCompare(b.record) || a.region - b.region);
  return { queue: { dataset, bundle, regions, items, cached: false }, datasetDigest };
}
