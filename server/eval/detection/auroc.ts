// @pure: area under the ROC curve, ties as scikit-learn's roc_curve treats them.
//
// The ROC curve has one point per distinct score (every sample scoring at least that value is
// called positive), so tied samples move the curve diagonally and count half. Its trapezoid area
// equals the Mann–Whitney statistic: for each distinct score v, (positives at v) × (negatives
// below v + half the negatives at v), summed and divided by P·N. The two classes are sorted
// apart (typed-array sorts) and walked together once: O(n log n), integer sums exact below 2^53.

/** Throws unless every value is finite (scikit-learn refuses NaN and infinity too). */
export function checkFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`${what}: value ${i} is ${values[i]}, not a finite number`);
  }
}

/**
 * AUROC of two classes' scores, each sorted ascending (they are not changed); null when either
 * class is empty (the curve is undefined, where scikit-learn raises).
 */
export function aurocOfSorted(positives: ArrayLike<number>, negatives: ArrayLike<number>): number | null {
  const p = positives.length;
  const n = negatives.length;
  if (p === 0 || n === 0) return null;
  let i = 0;
  let j = 0;
  let twiceArea = 0;
  while (i < p) {
    const v = positives[i];
    while (j < n && negatives[j] < v) j++;
    let tiedNegatives = 0;
    while (j + tiedNegatives < n && negatives[j + tiedNegatives] === v) tiedNegatives++;
    let tiedPositives = 0;
    while (i < p && positives[i] === v) {
      tiedPositives++;
      i++;
    }
    twiceArea += tiedPositives * (2 * j + tiedNegatives);
  }
  return twiceArea / (2 * p * n);
}

/** Scores split by label and sorted ascending; labels: truthy = positive. */
export function scoresByClass(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): { positives: Float64Array; negatives: Float64Array } {
  if (scores.length !== labels.length) throw new RangeError(`auroc: ${scores.length} scores for ${labels.length} labels`);
  checkFinite(scores, 'auroc');
  let p = 0;
  for (let k = 0; k < labels.length; k++) if (labels[k]) p++;
  const positives = new Float64Array(p);
  const negatives = new Float64Array(scores.length - p);
  let a = 0;
  let b = 0;
  for (let k = 0; k < scores.length; k++) {
    if (labels[k]) positives[a++] = scores[k];
    else negatives[b++] = scores[k];
  }
  return { positives: positives.sort(), negatives: negatives.sort() };
}

/** roc_auc_score(labels, scores): null when only one class is present. */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): number | null {
  const { positives, negatives } = scoresByClass(scores, labels);
  return aurocOfSorted(positives, negatives);
}
