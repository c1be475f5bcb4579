// @pure: region recall and precision, description accuracy on found regions, and end-to-end accuracy.
//
// Counted per image with matchRegions and summed, so every rate is over regions (not a mean of
// images' rates). A found region is correctly described when its proposal's description equals
// the ground truth's. Each rate is null when its denominator is zero.
import { matchRegions } from './regionMatch';
import type { DescribedRegion } from './types';

export interface RegionCounts {
  /** Ground-truth regions. */
  truth: number;
  /** Proposed regions. */
  proposed: number;
  /** Ground-truth regions matched by a proposal (= proposals that are true positives). */
  found: number;
  /** Found regions whose proposal's description is the ground truth's. */
  described: number;
}

export interface RegionRates {
  /** found / truth. */
  recall: number | null;
  /** found / proposed. */
  precision: number | null;
  /** described / found: how well the found regions are described. */
  descriptionAccuracy: number | null;
  /** described / truth: regions found and correctly described, of all ground-truth regions. */
  endToEnd: number | null;
}

export const NO_REGIONS: RegionCounts = { truth: 0, proposed: 0, found: 0, described: 0 };

/** One image's counts. */
export function regionCounts(truth: readonly DescribedRegion[], proposed: readonly DescribedRegion[]): RegionCounts {
  const matches = matchRegions(truth, proposed);
  let described = 0;
  for (const m of matches) if (truth[m.truth].description === proposed[m.proposed].description) described++;
  return { truth: truth.length, proposed: proposed.length, found: matches.length, described };
}

export function addCounts(a: RegionCounts, b: RegionCounts): RegionCounts {
  return { truth: a.truth + b.truth, proposed: a.proposed + b.proposed, found: a.found + b.found, described: a.described + b.described };
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

export function regionRates(c: RegionCounts): RegionRates {
  return {
    recall: ratio(c.found, c.truth),
    precision: ratio(c.found, c.proposed),
    descriptionAccuracy: ratio(c.described, c.found),
    endToEnd: ratio(c.described, c.truth),
  };
}
