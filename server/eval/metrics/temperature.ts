// Temperature scaling (Guo et al. 2017): one scalar T divides every logit; it is fitted on
// held-out regions by minimising the negative log-likelihood of their ground truth. In
// β = 1/T the NLL is convex (its second derivative is the variance of the logits under the
// softmax), so the minimum is where its derivative E_p[z] − z_truth (averaged) crosses zero,
// found by bisection on log β.
import { type RegionScores, softmax } from './scores';

/** The temperatures a fit may return. */
export const TEMPERATURE_RANGE: readonly [number, number] = [0.01, 100];

/** Rows a fit and an NLL can use: some candidates, the ground truth among them. */
function usable(scores: readonly RegionScores[]): RegionScores[] {
  return scores.filter((s) => s.logits.length > 0 && s.truth >= 0 && s.truth < s.logits.length);
}

function logSumExp(values: readonly number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

/** Mean −log softmax(z / T)[truth] over the rows whose ground truth is a candidate; null when none is. */
export function negativeLogLikelihood(scores: readonly RegionScores[], temperature = 1): number | null {
  const rows = usable(scores);
  if (rows.length === 0) return null;
  let sum = 0;
  for (const { logits, truth } of rows) sum += logSumExp(logits.map((l) => l / temperature)) - logits[truth] / temperature;
  return sum / rows.length;
}

/** d NLL / d β at β = 1/T: the mean of E_p[z] − z_truth. */
function slope(rows: readonly RegionScores[], beta: number): number {
  let sum = 0;
  for (const { logits, truth } of rows) {
    const p = softmax(logits, 1 / beta);
    let expected = 0;
    for (let j = 0; j < logits.length; j++) expected += p[j] * logits[j];
    sum += expected - logits[truth];
  }
  return sum / rows.length;
}

export interface TemperatureFit {
  temperature: number;
  /** Regions the fit used (their ground truth among the candidates). */
  regions: number;
  nllBefore: number;
  nllAfter: number;
}

/**
 * The temperature minimising the NLL of `scores`, within TEMPERATURE_RANGE (a split the model
 * gets all right drives T to its lower end); null when no row can be used.
 */
export function fitTemperature(scores: readonly RegionScores[]): TemperatureFit | null {
  const rows = usable(scores);
  if (rows.length === 0) return null;
  let lo = Math.log(1 / TEMPERATURE_RANGE[1]);
  let hi = Math.log(1 / TEMPERATURE_RANGE[0]);
  let temperature: number;
  if (slope(rows, Math.exp(lo)) >= 0) temperature = TEMPERATURE_RANGE[1];
  else if (slope(rows, Math.exp(hi)) <= 0) temperature = TEMPERATURE_RANGE[0];
  else {
    for (let i = 0; i < 80 && hi - lo > 1e-12; i++) {
      const mid = (lo + hi) / 2;
      if (slope(rows, Math.exp(mid)) < 0) lo = mid;
      else hi = mid;
    }
    temperature = 1 / Math.exp((lo + hi) / 2);
  }
  return {
    temperature,
    regions: rows.length,
    nllBefore: negativeLogLikelihood(rows, 1) as number,
    nllAfter: negativeLogLikelihood(rows, temperature) as number,
  };
}
