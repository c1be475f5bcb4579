// Calibrating a bundle after the fact: its answers on held-out regions (the validation split,
// never the split a report is made of) fit the temperature that minimises their NLL and the
// confidence above which they are right `target` of the time; both are recorded in bundle.json.
// The trainer does the same at export; this serves bundles exported without it.
import { readFileSync } from 'node:fs';
import type { BundleCalibration } from '../model/bundle';
import { BUNDLE_MANIFEST, validateManifest } from '../model/bundle';
import type { Split } from '../dataset/types';
import { writeJsonAtomic } from '../util/atomicWrite';
import { UserError } from '../util/errors';
import { join, resolve } from 'node:path';
import { type EvalProgress, evaluate } from './evaluate';
import { calibrationAt } from './metrics/calibration';
import { type RegionScores, topAnswers } from './metrics/scores';
import { UNCERTAIN_TARGET_ACCURACY, uncertainThreshold } from './metrics/selective';
import { fitTemperature } from './metrics/temperature';

/** The calibration of a bundle from its scores on held-out regions. */
export function fitCalibration(scores: readonly RegionScores[], fittedOn: Record<string, unknown>, target = UNCERTAIN_TARGET_ACCURACY): BundleCalibration {
  const fit = fitTemperature(scores);
  if (!fit) throw new UserError('no region of the held-out split has its ground truth among the candidates: nothing to fit a temperature on');
  const uncertainBelow = uncertainThreshold(topAnswers(scores, fit.temperature), target);
  const before = calibrationAt(scores, 1);
  const after = calibrationAt(scores, fit.temperature);
  return {
    method: 'temperature-scaling',
    temperature: fit.temperature,
    uncertainBelow,
    fittedOn: { ...fittedOn, regions: fit.regions, targetAccuracy: target, nll: { before: fit.nllBefore, after: fit.nllAfter }, ece: { before: before.ece, after: after.ece } },
  };
}

export interface CalibrateOptions {
  bundle: string;
  dataset: string;
  /** The held-out split (default val). */
  split?: Split;
  target?: number;
  threads?: number;
  progress?: EvalProgress;
  warn?: (message: string) => void;
}

/** Fits the bundle's calibration on a dataset's validation split and writes it into its bundle.json (atomically). */
export async function calibrateBundle(options: CalibrateOptions): Promise<BundleCalibration> {
  const split = options.split ?? 'val';
  if (split === 'test') throw new UserError('a bundle is calibrated on held-out regions other than those it is tested on: use the val split');
  const evaluation = await evaluate({
    dataset: options.dataset,
    split,
    bundle: options.bundle,
    candidates: 'all',
    topK: 1,
    ...(options.threads ? { threads: options.threads } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.warn ? { warn: options.warn } : {}),
  });
  const fittedOn = {
    dataset: evaluation.inputs.dataset.dir,
    split,
    splitSha256: evaluation.inputs.dataset.splitFile.sha256,
    candidates: 'all',
  };
  const calibration = fitCalibration(evaluation.scores.model, fittedOn, options.target);
  const file = join(resolve(options.bundle), BUNDLE_MANIFEST);
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  json.calibration = calibration;
  validateManifest(json, file);
  await writeJsonAtomic(file, json);
  return calibration;
}
