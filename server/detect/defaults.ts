// @pure: the detector's default settings, measured on the sample dataset (docs/detect.md).
import { SPLIT_DEFAULTS } from '../masks/splitDefaults';
import { DEFAULT_FEATURES } from './features';
import type { DetectorSettings } from './detectorFormat';

export const DETECTOR_DEFAULTS: DetectorSettings = {
  features: DEFAULT_FEATURES,
  score: 'pixel-residual',
  smoothingSigma: 2,
  coreset: { method: 'k-center-greedy', ratio: 0.1, projectionDims: 64, seed: 1 },
  fpr: 0.0002,
  holdOutEvery: 4,
  split: { eps: SPLIT_DEFAULTS.eps, minPts: SPLIT_DEFAULTS.minPts },
  minRegionArea: 30,
};
