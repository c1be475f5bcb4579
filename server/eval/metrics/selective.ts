// Answers the model is unsure of: below a confidence threshold an answer is shown as uncertain
// (its top candidates) instead of stated. The threshold is chosen on held-out regions as the
// lowest confidence above which the answers are right at least `target` of the time.
import type { TopAnswer } from './scores';

/** The share of right answers the threshold is chosen for. */
export const UNCERTAIN_TARGET_ACCURACY = 0.95;

export interface SelectiveAccuracy {
  threshold: number;
  /** Answers at or above the threshold (stated), and how many of them are right. */
  answered: number;
  right: number;
  /** right / answered; null when none is stated. */
  accuracy: number | null;
  /** Share of answers stated: answered / all. */
  coverage: number | null;
}

/** How the answers at or above `threshold` fare. */
export function selectiveAccuracy(answers: readonly TopAnswer[], threshold: number): SelectiveAccuracy {
  const stated = answers.filter((a) => a.confidence >= threshold);
  const right = stated.filter((a) => a.correct).length;
  return {
    threshold,
    answered: stated.length,
    right,
    accuracy: stated.length ? right / stated.length : null,
    coverage: answers.length ? stated.length / answers.length : null,
  };
}

/**
 * The lowest confidence t such that the answers with confidence >= t are right at least
 * `target` of the time (0 when all of them are); 1 when no such t exists or there are no answers.
 */
export function uncertainThreshold(answers: readonly TopAnswer[], target = UNCERTAIN_TARGET_ACCURACY): number {
  const sorted = [...answers].sort((a, b) => b.confidence - a.confidence);
  let threshold = 1;
  let right = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i].correct) right++;
    // Only where the next answer is less confident does a threshold separate the two.
    const boundary = i + 1 === sorted.length || sorted[i + 1].confidence < sorted[i].confidence;
    if (boundary && right / (i + 1) >= target) threshold = i + 1 === sorted.length ? 0 : sorted[i].confidence;
  }
  return threshold;
}
