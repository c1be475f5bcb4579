// @pure: the detector's threshold, calibrated on held-out normal images: the value that only the
// stated fraction of their pixels exceed (the false-positive rate it allows on normal pixels).

/** The smallest value that at most `fpr` of `values` exceed (the (1 − fpr) quantile, taken from above). */
export function thresholdAtFpr(values: Float32Array, fpr: number): number {
  if (values.length === 0) throw new RangeError('no values to calibrate on');
  const sorted = values.slice().sort();
  const allowed = Math.floor(fpr * sorted.length);
  return sorted[sorted.length - 1 - allowed];
}

/** The fraction of `values` strictly above `threshold`. */
export function fractionAbove(values: Float32Array, threshold: number): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > threshold) n++;
  return values.length === 0 ? 0 : n / values.length;
}
