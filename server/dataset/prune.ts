// After a switch: deletes the files that earlier builds wrote and the new dataset no longer
// refers to.  Only files the tool wrote are candidates (its log of written files, and the files
// the previous dataset referred to); anything else in the folder is never touched.
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { isInside } from '../util/paths';
import { readWrittenLog, rewriteWrittenLog } from './ownedFiles';

async function removeEmptyParents(root: string, rel: string): Promise<void> {
  for (let dir = dirname(rel); dir !== '.' && dir !== '/' && dir !== ''; dir = dirname(dir)) {
    try {
      await fs.rmdir(join(root, dir));
    } catch {
      return;
    }
  }
}

/**
 * Deletes every candidate file not in `keep` (the candidates are the written-files log plus
 * `alsoOurs`), then rewrites the log to the files kept.
 */
export async function pruneOwned(root: string, keep: ReadonlySet<string>, alsoOurs: Iterable<string> = []): Promise<number> {
  const candidates = await readWrittenLog(root);
  for (const rel of alsoOurs) candidates.add(rel);
  let removed = 0;
  for (const rel of [...candidates].sort()) {
    if (keep.has(rel) || !isInside(root, join(root, rel))) continue;
    try {
      const s = await fs.lstat(join(root, rel));
      if (!s.isFile() && !s.isSymbolicLink()) continue;
    } catch {
      continue;
    }
    await fs.rm(join(root, rel), { force: true });
    removed++;
    await removeEmptyParents(root, rel);
  }
  await rewriteWrittenLog(root, keep);
  return removed;
}
