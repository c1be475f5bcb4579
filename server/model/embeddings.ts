// Embedding arithmetic: L2 normalisation and ranking candidate descriptions by cosine
// similarity with softmax(logitScale * cos) probabilities (paper eq. 3).
import { maxOf } from '../util/arrays';

/** Rows of a row-major [n, dim] array, each divided by its L2 norm (a zero row stays zero). */
export function l2NormaliseRows(data: ArrayLike<number>, rows: number, dim: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += data[r * dim + j] ** 2;
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    const row = new Float32Array(dim);
    for (let j = 0; j < dim; j++) row[j] = data[r * dim + j] * scale;
    out.push(row);
  }
  return out;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`embedding sizes differ: ${a.length} and ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** Candidate descriptions with their L2-normalised embeddings, in the same order. */
export interface CandidateSet {
  texts: readonly string[];
  embeddings: readonly Float32Array[];
}

export interface RankedDescription {
  text: string;
  /** Index of the text in the candidate set. */
  index: number;
  cosine: number;
  /** softmax(logitScale * cosine) over all candidates. */
  probability: number;
}

/**
 * The topK candidates most similar to a normalised region embedding, best first (ties keep
 * candidate order). Probabilities are taken over the whole candidate set.
 */
export function rankCandidates(embedding: ArrayLike<number>, candidates: CandidateSet, logitScale: number, topK = candidates.texts.length): RankedDescription[] {
  const { texts, embeddings } = candidates;
  if (texts.length !== embeddings.length) throw new RangeError(`${texts.length} candidate texts but ${embeddings.length} embeddings`);
  if (texts.length === 0) return [];
  const cosines = embeddings.map((e) => dot(embedding, e));
  const logits = cosines.map((c) => logitScale * c);
  const max = maxOf(logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const total = exps.reduce((a, b) => a + b, 0);
  const ranked = cosines.map((cosine, index) => ({ text: texts[index], index, cosine, probability: exps[index] / total }));
  ranked.sort((a, b) => b.cosine - a.cosine || a.index - b.index);
  return ranked.slice(0, Math.max(0, topK));
}
