// Duplicate records that validate cannot see, because their paths differ: the same image
// content under two image paths (in one split or across splits), or two regions of one image
// whose masks have the same content. Counted twice they inflate the statistics, and an image in
// both train and test makes an evaluation look better than it is. (The same path named twice
// is an error that validate reports.)
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ImageRecord } from './format';
import { SPLITS } from './manifestText';
import type { Split } from './types';

/** Groups of files (relative to root) with the same content. Only files of equal size are read. */
export function sameContent(root: string, files: readonly string[]): string[][] {
  const bySize = new Map<number, string[]>();
  for (const file of new Set(files)) {
    try {
      const size = statSync(resolve(root, file)).size;
      bySize.set(size, [...(bySize.get(size) ?? []), file]);
    } catch {
      // missing or unreadable: validate reports it
    }
  }
  const byHash = new Map<string, string[]>();
  for (const group of bySize.values()) {
    if (group.length < 2) continue;
    for (const file of group) {
      try {
        const hash = createHash('sha256').update(readFileSync(resolve(root, file))).digest('hex');
        byHash.set(hash, [...(byHash.get(hash) ?? []), file]);
      } catch {
        // as above
      }
    }
  }
  return [...byHash.values()].filter((group) => group.length > 1);
}

/** Warnings about duplicate records in a dataset folder (one line each). */
export function duplicateWarnings(root: string, records: Record<Split, readonly ImageRecord[]>): string[] {
  const splitOf = new Map<string, Split>();
  for (const split of SPLITS) for (const record of records[split]) splitOf.set(record.image, split);
  const warnings: string[] = [];
  for (const group of sameContent(root, [...splitOf.keys()])) {
    const splits = new Set(group.map((image) => splitOf.get(image)));
    const scope = splits.size > 1 ? `across splits (${[...splits].join(', ')})` : `in ${[...splits][0]}`;
    warnings.push(`duplicate record: ${group.length} images have the same content ${scope}: ${group.map((image) => `${image} (${splitOf.get(image)})`).join(', ')}`);
  }
  for (const split of SPLITS) {
    for (const record of records[split]) {
      if (record.regions.length < 2) continue;
      for (const group of sameContent(root, record.regions.map((r) => r.mask))) {
        warnings.push(`duplicate record: ${record.image} (${split}) lists the same region ${group.length} times: ${group.join(', ')}`);
      }
    }
  }
  return warnings;
}
