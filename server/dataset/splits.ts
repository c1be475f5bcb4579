// Deterministic, stratified train/validation split by image.
import { createHash } from 'node:crypto';

export interface SplitItem {
  /** Stable identity of the image (e.g. its path inside the source). */
  key: string;
  /** Items of one stratum (object/defect class) are split together. */
  stratum: string;
}

export interface SplitOptions {
  /** Fraction of each stratum that goes to validation (0..1). */
  valRatio: number;
  seed: number;
}

/** How many of `n` images of one stratum go to validation: every class in both splits when it has two images. */
export function validationCount(n: number, valRatio: number): number {
  if (n === 0 || valRatio <= 0) return 0;
  if (valRatio >= 1) return n;
  if (n === 1) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(n * valRatio)));
}

function rank(seed: number, key: string): string {
  return createHash('sha256').update(`${seed}\0${key}`).digest('hex');
}

/**
 * Assigns 'train' or 'val' to each item (same order as the input).  Within a stratum the
 * items are ordered by a seeded hash of their key, so the result does not depend on the
 * input order and an image keeps its split when others are added.
 */
export function assignSplits(items: readonly SplitItem[], options: SplitOptions): ('train' | 'val')[] {
  if (!(options.valRatio >= 0 && options.valRatio <= 1)) {
    throw new RangeError(`validation ratio must lie in [0, 1], got ${options.valRatio}`);
  }
  const strata = new Map<string, { index: number; rank: string }[]>();
  items.forEach((item, index) => {
    let members = strata.get(item.stratum);
    if (!members) strata.set(item.stratum, (members = []));
    members.push({ index, rank: rank(options.seed, item.key) });
  });
  const result: ('train' | 'val')[] = items.map(() => 'train');
  for (const members of strata.values()) {
    members.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.index - b.index));
    const nVal = validationCount(members.length, options.valRatio);
    for (let i = 0; i < nVal; i++) result[members[i].index] = 'val';
  }
  return result;
}
