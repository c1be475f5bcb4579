// Matching images with their masks by a key (the stem, for most layouts), with the checks
// every layout shares: empty files, two files for one key, and files without partner.
import { basename, extname } from 'node:path';
import { fileKind } from './fileKinds';
import type { Entry } from './listing';
import { compareStrings, type ProblemLog } from './problems';
import { groupBy } from '../../util/arrays';

export interface KeyedFiles {
  /** Key -> path, for the keys with exactly one usable file. */
  byKey: Map<string, string>;
  /** Keys whose files were reported already (empty, or several files); they pair with nothing and are not reported again. */
  blocked: Set<string>;
}

export interface Pair {
  key: string;
  image: string;
  mask: string;
}

/** The image files of a listing; image formats that are not read are reported, other files ignored. */
export function imageEntries(entries: readonly Entry[], problems: ProblemLog): Entry[] {
  return entries.filter((e) => {
    if (e.kind !== 'file') return false;
    const kind = fileKind(e.name);
    if (kind === 'unsupported-image') problems.warning(e.path, `unsupported image format "${extname(e.name)}"; ignored (supported: png, jpg, jpeg, tif, tiff, webp)`);
    return kind === 'image';
  });
}

/** Groups files by key; empty files and keys held by several files are reported and blocked. */
export function keyFiles(entries: readonly Entry[], keyOf: (entry: Entry) => string, problems: ProblemLog): KeyedFiles {
  const groups = groupBy(entries, keyOf);
  const keyed: KeyedFiles = { byKey: new Map(), blocked: new Set() };
  for (const [key, group] of groups) {
    if (group.length > 1) {
      const names = group.map((e) => e.name).join(', ');
      problems.error(group[0].path, `${group.length} files share the name "${key}" (${names}); none of them is used`, group[1].path);
      keyed.blocked.add(key);
      continue;
    }
    const [entry] = group;
    if (entry.size === 0) {
      problems.error(entry.path, 'empty file (0 bytes); skipped');
      keyed.blocked.add(key);
      continue;
    }
    keyed.byKey.set(key, entry.path);
  }
  return keyed;
}

/** The most frequent extension among the files (ties: the first in name order), or `fallback`. */
export function commonExtension(files: KeyedFiles, fallback: string): string {
  const counts = new Map<string, number>();
  for (const path of [...files.byKey.values()].sort(compareStrings)) {
    const ext = extname(path);
    counts.set(ext, (counts.get(ext) ?? 0) + 1);
  }
  let best = fallback;
  let most = 0;
  for (const [ext, n] of counts) {
    if (n > most) {
      best = ext;
      most = n;
    }
  }
  return best;
}

export interface ExpectedPaths {
  /** Where the mask of an image with this key should be. */
  mask(key: string): string;
  /** Where the image of a mask with this key should be. */
  image(key: string): string;
}

/** Pairs images with masks by key; each unmatched file is reported with the path its partner should have. */
export function pairByKey(images: KeyedFiles, masks: KeyedFiles, expected: ExpectedPaths, problems: ProblemLog): Pair[] {
  const pairs: Pair[] = [];
  for (const [key, image] of images.byKey) {
    const mask = masks.byKey.get(key);
    if (mask !== undefined) pairs.push({ key, image, mask });
    else if (!masks.blocked.has(key)) {
      const want = expected.mask(key);
      problems.error(image, `image without mask: expected ${basename(want)} at ${want}`, want);
    }
  }
  for (const [key, mask] of masks.byKey) {
    if (images.byKey.has(key) || images.blocked.has(key)) continue;
    const want = expected.image(key);
    problems.error(mask, `mask without image: expected ${basename(want)} at ${want}`, want);
  }
  return pairs.sort((a, b) => compareStrings(a.image, b.image));
}
