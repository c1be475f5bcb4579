// @pure: one-to-one matching of proposed regions to ground-truth regions by IoU.
//
// Every (truth, proposal) pair of one image whose IoU is at least the minimum (0.5) is a
// candidate; candidates are taken greedily, highest IoU first (ties: the lower truth index, then
// the lower proposal index), each skipped when its truth or its proposal is already matched. A
// ground-truth region is found when it is matched; a proposal is a true positive when it is
// matched. So a region split into two halves is found once (one half is a false positive), and
// two regions merged into one proposal are found at most once. IoU ≥ 0.5 is tested in integers
// (2·|A∩B| ≥ |A∪B|), so exactly one half counts.

/** The IoU a match needs. */
export const MIN_MATCH_IOU = 0.5;

export interface RegionMatch {
  truth: number;
  proposed: number;
  iou: number;
}

function checkAscending(pixels: ArrayLike<number>, what: string): void {
  for (let k = 1; k < pixels.length; k++) {
    if (!(pixels[k] > pixels[k - 1])) throw new RangeError(`${what}: pixel indices must be strictly ascending (index ${k})`);
  }
}

/** |A ∩ B| of two strictly ascending pixel lists. */
export function intersectionSize(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else {
      both++;
      i++;
      j++;
    }
  }
  return both;
}

/** Intersection over union of two strictly ascending pixel lists (0 for two empty ones). */
export function iou(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const both = intersectionSize(a, b);
  const union = a.length + b.length - both;
  return union === 0 ? 0 : both / union;
}

/**
 * The one-to-one greedy matching of one image's regions (each a strictly ascending pixel list),
 * in the order taken. `minIou` is a ratio num/den so that the comparison stays exact.
 */
export function matchRegions(
  truth: readonly { pixels: ArrayLike<number> }[],
  proposed: readonly { pixels: ArrayLike<number> }[],
  minIou: { num: number; den: number } = { num: 1, den: 2 },
): RegionMatch[] {
  if (!(minIou.num > 0 && minIou.den >= minIou.num)) throw new RangeError(`matchRegions: the minimum IoU must be in (0, 1], not ${minIou.num}/${minIou.den}`);
  truth.forEach((r, k) => checkAscending(r.pixels, `ground-truth region ${k}`));
  proposed.forEach((r, k) => checkAscending(r.pixels, `proposed region ${k}`));
  const candidates: (RegionMatch & { both: number; union: number })[] = [];
  truth.forEach((t, ti) => {
    proposed.forEach((p, pi) => {
      const both = intersectionSize(t.pixels, p.pixels);
      const union = t.pixels.length + p.pixels.length - both;
      if (both === 0 || both * minIou.den < union * minIou.num) return;
      candidates.push({ truth: ti, proposed: pi, iou: both / union, both, union });
    });
  });
  // Exact order by IoU: a/b > c/d ⇔ a·d > c·b (exact while the products stay below 2^53: regions of up to 2^26 pixels).
  candidates.sort((x, y) => y.both * x.union - x.both * y.union || x.truth - y.truth || x.proposed - y.proposed);
  const truthTaken = new Uint8Array(truth.length);
  const proposedTaken = new Uint8Array(proposed.length);
  const matches: RegionMatch[] = [];
  for (const c of candidates) {
    if (truthTaken[c.truth] || proposedTaken[c.proposed]) continue;
    truthTaken[c.truth] = 1;
    proposedTaken[c.proposed] = 1;
    matches.push({ truth: c.truth, proposed: c.proposed, iou: c.iou });
  }
  return matches;
}
