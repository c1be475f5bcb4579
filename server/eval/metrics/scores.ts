// A region's scores over its candidate set, the input of the calibration metrics: the logits
// (logitScale·cos, before any temperature) and the index of the ground truth among them.
import { maxOf } from '../../util/arrays';

export interface RegionScores {
  /** logitScale·cos per candidate, in candidate order. */
  logits: number[];
  /** Index of the ground-truth description among the candidates; -1 when it is none of them. */
  truth: number;
}

/** softmax(logits / temperature). */
export function softmax(logits: readonly number[], temperature = 1): number[] {
  if (logits.length === 0) return [];
  const scaled = logits.map((l) => l / temperature);
  const max = maxOf(scaled);
  const exps = scaled.map((l) => Math.exp(l - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** Index of the largest logit, the first of equals (the answer, paper eq. 3); -1 for none. */
export function argmax(logits: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < logits.length; i++) if (best < 0 || logits[i] > logits[best]) best = i;
  return best;
}

export interface TopAnswer {
  /** The answer's probability under the temperature: the model's confidence. */
  confidence: number;
  correct: boolean;
}

/** The top answer of each region with its confidence at `temperature` and whether it is right. */
export function topAnswers(scores: readonly RegionScores[], temperature = 1): TopAnswer[] {
  return scores
    .filter((s) => s.logits.length > 0)
    .map((s) => {
      const best = argmax(s.logits);
      return { confidence: softmax(s.logits, temperature)[best], correct: best === s.truth };
    });
}
