// The reliability diagram and the expected calibration error of top answers (Guo et al. 2017,
// "On Calibration of Modern Neural Networks"): confidences fall into equal-width bins
// (m-1)/M < c <= m/M (0 into the first); per bin, the share of right answers against the mean
// confidence; ECE = sum over bins of count/N · |accuracy − confidence|.
import type { TopAnswer } from './scores';

/** The bins of the standard ECE. */
export const RELIABILITY_BINS = 15;

export interface ReliabilityBin {
  /** The bin's interval (lower, upper]. */
  lower: number;
  upper: number;
  count: number;
  /** Share of right answers; null for an empty bin. */
  accuracy: number | null;
  /** Mean confidence; null for an empty bin. */
  confidence: number | null;
}

/** The bin a confidence falls in: (m/M, (m+1)/M] is bin m, and 0 lies in bin 0. */
export function binOf(confidence: number, bins = RELIABILITY_BINS): number {
  return Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1));
}

export function reliabilityBins(answers: readonly TopAnswer[], bins = RELIABILITY_BINS): ReliabilityBin[] {
  const counts = new Array<number>(bins).fill(0);
  const right = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  for (const a of answers) {
    const m = binOf(a.confidence, bins);
    counts[m]++;
    if (a.correct) right[m]++;
    confidence[m] += a.confidence;
  }
  return counts.map((n, m) => ({
    lower: m / bins,
    upper: (m + 1) / bins,
    count: n,
    accuracy: n ? right[m] / n : null,
    confidence: n ? confidence[m] / n : null,
  }));
}

/** Σ count/N · |accuracy − confidence| over the bins; null when there are no answers. */
export function expectedCalibrationError(bins: readonly ReliabilityBin[]): number | null {
  const total = bins.reduce((n, b) => n + b.count, 0);
  if (total === 0) return null;
  let sum = 0;
  for (const b of bins) if (b.count) sum += (b.count / total) * Math.abs((b.accuracy as number) - (b.confidence as number));
  return sum;
}
