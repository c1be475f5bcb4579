// Mask following: does the answer change with the designated region as it should?
//
// Over every unordered pair of regions (a, b) of the same image whose ground-truth
// descriptions differ, `followRate` is the share of pairs whose predictions differ, and
// `bothRightRate` the share where both predictions are right. A model that ignores the mask
// answers the same for every region of an image and follows 0 % of the pairs.
import { type RegionPrediction, type Role, isCorrect, predicted } from '../records';
import { groupBy } from '../../util/arrays';

export interface MaskFollowing {
  /** Images with at least one pair of regions of different descriptions. */
  images: number;
  pairs: number;
  /** Pairs whose predictions differ. */
  differ: number;
  /** Pairs whose predictions are both right. */
  bothRight: number;
  followRate: number | null;
  bothRightRate: number | null;
}

export function maskFollowing(records: readonly RegionPrediction[], role: Role): MaskFollowing {
  let images = 0;
  let pairs = 0;
  let differ = 0;
  let bothRight = 0;
  for (const regions of groupBy(records, (r) => r.image).values()) {
    let imagePairs = 0;
    for (let i = 0; i < regions.length; i++) {
      for (let j = i + 1; j < regions.length; j++) {
        const a = regions[i];
        const b = regions[j];
        if (a.truth === b.truth) continue;
        imagePairs++;
        if (predicted(a, role) !== predicted(b, role)) differ++;
        if (isCorrect(a, role) && isCorrect(b, role)) bothRight++;
      }
    }
    if (imagePairs > 0) images++;
    pairs += imagePairs;
  }
  return { images, pairs, differ, bothRight, followRate: pairs ? differ / pairs : null, bothRightRate: pairs ? bothRight / pairs : null };
}
