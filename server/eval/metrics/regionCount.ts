// Accuracy by the number of regions in the image (paper Table 4).
import type { RegionPrediction } from '../records';
import { type ComparisonRow, compareBy } from './accuracy';

/** Images with more regions than this share one row. */
export const REGION_COUNT_ROWS = 7;

/** The Table 4 row of an image with n regions: "1" … "7", then "8+". */
export function regionCountLabel(n: number): string {
  return n <= REGION_COUNT_ROWS ? String(n) : `${REGION_COUNT_ROWS + 1}+`;
}

export function byRegionCount(records: readonly RegionPrediction[], withBaseline: boolean): ComparisonRow[] {
  return compareBy(records, (r) => regionCountLabel(r.regionCount), withBaseline, (a, b) => parseInt(a, 10) - parseInt(b, 10));
}
