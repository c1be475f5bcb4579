// The calibration of one role's answers on a split: the reliability diagram and ECE of its top
// answers before temperature scaling (T = 1) and with the bundle's temperature, the NLL of both,
// and how the answers fare above the uncertainty threshold.
import { type ReliabilityBin, RELIABILITY_BINS, expectedCalibrationError, reliabilityBins } from './reliability';
import { type RegionScores, topAnswers } from './scores';
import { type SelectiveAccuracy, selectiveAccuracy } from './selective';
import { negativeLogLikelihood } from './temperature';

export interface CalibrationAt {
  temperature: number;
  /** Expected calibration error of the top answers (15 equal-width bins); null without answers. */
  ece: number | null;
  /** Mean negative log-likelihood of the ground truth; null when no ground truth is a candidate. */
  nll: number | null;
  bins: ReliabilityBin[];
}

export interface Calibration {
  binCount: number;
  /** softmax(logitScale·cos): the probabilities before calibration. */
  before: CalibrationAt;
  /** With the bundle's temperature; absent when the bundle has none. */
  after?: CalibrationAt;
  /** The answers stated (confidence at or above the threshold, with the calibrated confidence). */
  uncertain: SelectiveAccuracy;
}

export function calibrationAt(scores: readonly RegionScores[], temperature: number, bins = RELIABILITY_BINS): CalibrationAt {
  const diagram = reliabilityBins(topAnswers(scores, temperature), bins);
  return { temperature, ece: expectedCalibrationError(diagram), nll: negativeLogLikelihood(scores, temperature), bins: diagram };
}

/** `temperature` undefined: the bundle has none, and its probabilities are used as they are. */
export function calibration(scores: readonly RegionScores[], temperature: number | undefined, uncertainBelow: number, bins = RELIABILITY_BINS): Calibration {
  return {
    binCount: bins,
    before: calibrationAt(scores, 1, bins),
    ...(temperature !== undefined ? { after: calibrationAt(scores, temperature, bins) } : {}),
    uncertain: selectiveAccuracy(topAnswers(scores, temperature ?? 1), uncertainBelow),
  };
}
