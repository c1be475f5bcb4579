// Evaluation of a model bundle (and optionally a baseline) on one split of a dataset: every
// region is embedded with its mask, ranked against the candidate descriptions, and the
// prediction (paper eq. 3) is compared with the region's ground-truth description.
import { resolve } from 'node:path';
import type { SplitRecords } from '../dataset/manifest';
import { withReaderLease } from '../dataset/readerLease';
import { Predictor, type CandidateSet } from '../model';
import type { Split } from '../dataset/types';
import { type Problem, UserError } from '../util/errors';
import { type CandidateMode, type CandidatePlan, candidatePlan, candidatesFor, subset } from './candidates';
import { embedRegions } from './embedRegions';
import { type EvalMetrics, calibration, computeMetrics } from './metrics';
import type { RegionScores } from './metrics/scores';
import { type BundleInfo, type DatasetInfo, bundleInfo, datasetInfo } from './provenance';
import type { RankedAnswer, RegionPrediction, Role } from './records';
import { type EvalImage, loadEvalSplit } from './splitImages';

export interface EvalProgress {
  start(total: number, label: string): void;
  tick(n?: number, info?: string): void;
  stop(): void;
}

export interface EvaluateOptions {
  dataset: string;
  split: Split;
  bundle: string;
  baseline?: string;
  candidates: CandidateMode;
  topK: number;
  /** onnxruntime intra-op threads (default: its own choice). */
  threads?: number;
  /** Answers less probable than this count as uncertain (default: each bundle's threshold). */
  uncertainBelow?: number;
  /** Regions per image-encoder run (default 32). */
  batchSize?: number;
  progress?: EvalProgress;
  /** Non-fatal notices, e.g. candidate texts cut to the context length. */
  warn?: (message: string) => void;
}

export interface EvalInputs {
  dataset: DatasetInfo;
  model: BundleInfo;
  baseline?: BundleInfo;
  candidates: { mode: CandidateMode; count: number; perObject: Record<string, number> };
  topK: number;
}

export interface Evaluation {
  inputs: EvalInputs;
  metrics: EvalMetrics;
  predictions: RegionPrediction[];
  problems: Problem[];
  /** Images and regions left out because they could not be read. */
  skipped: { images: number; regions: number };
  timing: { seconds: number; regionsPerSecond: number };
  /** Each region's scores over its candidates, in the order of `predictions` (for calibration). */
  scores: { model: RegionScores[]; baseline?: RegionScores[] };
  /** Dataset root, for reading images when the report is drawn. */
  root: string;
  /** Every record of the dataset as it was evaluated (for checks across splits, such as duplicates). */
  datasetRecords: SplitRecords;
}

interface Answerer {
  role: Role;
  predictor: Predictor;
  all: CandidateSet;
  byObject: Map<string, CandidateSet>;
}

async function answerer(role: Role, predictor: Predictor, plan: CandidatePlan): Promise<Answerer> {
  const all = await predictor.candidates(plan.all);
  const byObject = new Map([...plan.byObject].map(([object, texts]) => [object, subset(all, texts)]));
  return { role, predictor, all, byObject };
}

/** The role's top-k answers for a region, and its scores over the whole candidate set (for calibration). */
function answers(a: Answerer, plan: CandidatePlan, object: string, embedding: Float32Array, topK: number, truth: string): { top: RankedAnswer[]; scores: RegionScores } {
  const set = plan.mode === 'all' ? a.all : (a.byObject.get(object) ?? subset(a.all, candidatesFor(plan, object)));
  const ranked = a.predictor.rank(embedding, set);
  const logits = new Array<number>(ranked.length);
  for (const r of ranked) logits[r.index] = a.predictor.logitScale * r.cosine;
  return {
    top: ranked.slice(0, topK).map(({ text, cosine, probability }) => ({ text, cosine, probability })),
    scores: { logits, truth: set.texts.indexOf(truth) },
  };
}

/** Groups of whole images holding about `regions` regions each. */
function* groups(images: readonly EvalImage[], regions: number): Generator<EvalImage[]> {
  let group: EvalImage[] = [];
  let count = 0;
  for (const image of images) {
    group.push(image);
    count += image.maskFiles.length;
    if (count >= regions) {
      yield group;
      group = [];
      count = 0;
    }
  }
  if (group.length) yield group;
}

async function openPredictors(options: EvaluateOptions): Promise<Predictor[]> {
  const encoder = { intraOpNumThreads: options.threads, batchSize: options.batchSize ?? 32, warn: options.warn };
  const model = await Predictor.open(options.bundle, encoder);
  if (!options.baseline) return [model];
  try {
    return [model, await Predictor.open(options.baseline, encoder)];
  } catch (err) {
    await model.close();
    throw err;
  }
}

/** Evaluates under a reader's lease on the dataset: a rebuild meanwhile keeps the files it reads. */
export async function evaluate(options: EvaluateOptions): Promise<Evaluation> {
  return withReaderLease(resolve(options.dataset), 'anomaly-lens eval', () => evaluateDataset(options));
}

async function evaluateDataset(options: EvaluateOptions): Promise<Evaluation> {
  if (!Number.isInteger(options.topK) || options.topK < 1) throw new UserError(`--top must be a positive integer, got ${options.topK}`);
  const split = await loadEvalSplit(options.dataset, options.split);
  const regionsTotal = split.images.reduce((n, image) => n + image.maskFiles.length, 0);
  if (regionsTotal === 0) throw new UserError(`the ${options.split} split has no regions to evaluate`, split.splitFile);
  const plan = candidatePlan(options.candidates, split.manifest, split.records);

  const predictors = await openPredictors(options);
  const started = Date.now();
  try {
    const roles: Role[] = predictors.length > 1 ? ['model', 'baseline'] : ['model'];
    const answerers = await Promise.all(predictors.map((p, i) => answerer(roles[i], p, plan)));
    const problems = [...split.problems];
    const predictions: RegionPrediction[] = [];
    const scores: Record<Role, RegionScores[]> = { model: [], baseline: [] };
    // Records whose paths were refused are already problems; their regions count as skipped.
    let skippedImages = split.problems.length;
    let skippedRegions = split.records.reduce((n, r) => n + r.regions.length, 0) - regionsTotal;
    const batch = options.batchSize ?? 32;
    options.progress?.start(regionsTotal, 'evaluating regions');
    for (const group of groups(split.images, batch)) {
      const embedded = await embedRegions(group, predictors, problems);
      const done = new Set(embedded.map((e) => e.image));
      for (const image of group) {
        if (!done.has(image)) {
          skippedImages++;
          skippedRegions += image.maskFiles.length;
        }
      }
      for (const { image, embeddings } of embedded) {
        const { record } = image;
        record.regions.forEach((region, i) => {
          const prediction: RegionPrediction = {
            image: record.image,
            object: record.object,
            defect: region.defect,
            region: i,
            regionCount: record.regions.length,
            mask: region.mask,
            truth: region.description,
            model: [],
          };
          answerers.forEach((a, p) => {
            const { top, scores: regionScores } = answers(a, plan, record.object, embeddings[p][i], options.topK, region.description);
            prediction[a.role] = top;
            scores[a.role].push(regionScores);
          });
          predictions.push(prediction);
        });
      }
      options.progress?.tick(group.reduce((n, image) => n + image.maskFiles.length, 0));
    }
    if (predictions.length === 0) throw new UserError(`none of the ${regionsTotal} regions of the ${options.split} split could be read: ${problems[0]?.file}: ${problems[0]?.message}`, split.splitFile);
    const seconds = (Date.now() - started) / 1000;

    const [model, baseline] = await Promise.all(predictors.map((p) => bundleInfo(p.bundle)));
    const inputs: EvalInputs = {
      dataset: await datasetInfo(split),
      model,
      ...(baseline ? { baseline } : {}),
      candidates: {
        mode: plan.mode,
        count: plan.mode === 'all' ? plan.all.length : new Set([...plan.byObject.values()].flat()).size,
        perObject: Object.fromEntries([...plan.byObject].map(([object, texts]) => [object, plan.mode === 'all' ? plan.all.length : texts.length])),
      },
      topK: options.topK,
    };
    const calibrationOf = (a: Answerer) => calibration(scores[a.role], a.predictor.bundle.manifest.calibration?.temperature, options.uncertainBelow ?? a.predictor.uncertainBelow);
    const [modelAnswers, baselineAnswers] = answerers;
    return {
      inputs,
      metrics: {
        ...computeMetrics(predictions, { topK: options.topK }),
        calibration: { model: calibrationOf(modelAnswers), ...(baselineAnswers ? { baseline: calibrationOf(baselineAnswers) } : {}) },
      },
      predictions,
      scores: { model: scores.model, ...(baselineAnswers ? { baseline: scores.baseline } : {}) },
      problems,
      skipped: { images: skippedImages, regions: skippedRegions },
      timing: { seconds, regionsPerSecond: seconds > 0 ? predictions.length / seconds : predictions.length },
      root: split.root,
      datasetRecords: split.datasetRecords,
    };
  } finally {
    options.progress?.stop();
    await Promise.all(predictors.map((p) => p.close()));
  }
}
