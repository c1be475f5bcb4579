import type { LabelMask, SplitOptions, SplitResult } from './types';

export const defaultSplitOptions: SplitOptions = { mode: 'dbscan', eps: 1.5, minPts: 1, minArea: 0, perClass: true };

/** Splits a mask into its individual anomaly regions (paper eq. 4). */
export function splitMask(mask: LabelMask, options: SplitOptions = defaultSplitOptions): SplitResult {
  void mask;
  void options;
  throw new Error('splitMask: not implemented');
}
