// @pure: how sure the model is of an answer. A bundle's calibration (bundle.json) gives the
// temperature its probabilities are scaled by and the confidence below which an answer is
// shown as uncertain; a bundle without one keeps its softmax probabilities (T = 1) and the
// threshold below.
import type { BundleManifest } from './bundle';

/**
 * The threshold of a bundle that records none: an answer less likely than all the others
 * together is shown as uncertain.
 */
export const DEFAULT_UNCERTAIN_BELOW = 0.5;

/** The temperature the bundle's probabilities are scaled by (1: none). */
export function temperatureOf(manifest: Pick<BundleManifest, 'calibration'>): number {
  return manifest.calibration?.temperature ?? 1;
}

/** The bundle's own threshold, else DEFAULT_UNCERTAIN_BELOW. */
export function uncertainBelowOf(manifest: Pick<BundleManifest, 'calibration'>): number {
  return manifest.calibration?.uncertainBelow ?? DEFAULT_UNCERTAIN_BELOW;
}

/** Whether an answer ranked best first is uncertain: its top probability below the threshold (no answer at all is). */
export function isUncertain(ranking: readonly { probability: number }[], uncertainBelow: number): boolean {
  const best = ranking[0];
  return best === undefined || best.probability < uncertainBelow;
}
