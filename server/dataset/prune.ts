// After a switch: deletes the files that earlier builds wrote and the new dataset no longer
// refers to.  Only files the tool wrote are candidates (its log of written files, and the files
// the previous dataset referred to); anything else in the folder is never touched.  A candidate
// is deleted only where it really lies inside the dataset: never a symbolic link (the tool
// writes none) nor a file reached through a link that leads out; those are named in a warning.
// While a reader holds a lease on the dataset (readerLease.ts), nothing is deleted: the files
// stay in the log, and the next build removes them.
import { promises as fs, lstatSync, readlinkSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorMessage, type Problem } from '../util/errors';
import { describeHolder } from '../util/lock';
import { isInside, realPlace, resolveWritableInside } from '../util/paths';
import { readWrittenLog, rewriteWrittenLog } from './ownedFiles';
import { liveReaders } from './readerLease';
import { stateFiles } from './stateDir';

/** Removes the folders above `rel` that are empty now, as long as each really lies inside `root`. */
async function removeEmptyParents(root: string, rel: string): Promise<void> {
  for (let dir = dirname(rel); dir !== '.' && dir !== '/' && dir !== ''; dir = dirname(dir)) {
    const path = join(root, dir);
    try {
      if (lstatSync(path).isSymbolicLink() || realPlace(root, path).kind !== 'inside') return;
      await fs.rmdir(path);
    } catch {
      return;
    }
  }
}

/** Why the file at `rel` (found with `stat`) must not be deleted, or undefined. */
function whyKept(root: string, rel: string, stat: Stats): string | undefined {
  if (stat.isSymbolicLink()) {
    let target = '';
    try {
      target = ` to ${readlinkSync(join(root, rel))}`;
    } catch {
      // named without its target
    }
    return `not deleted: it is a symbolic link${target}, and a build writes no links`;
  }
  try {
    resolveWritableInside(root, rel);
    return undefined;
  } catch (err) {
    return `not deleted: ${errorMessage(err)}`;
  }
}

export interface PruneResult {
  removed: number;
  /** A warning for every candidate left alone because of a symbolic link. */
  problems: Problem[];
}

/**
 * Deletes every candidate file not in `keep` (the candidates are the written-files log plus
 * `alsoOurs`), then rewrites the log to the files kept.
 */
export async function pruneOwned(root: string, keep: ReadonlySet<string>, alsoOurs: Iterable<string> = []): Promise<PruneResult> {
  const candidates = await readWrittenLog(root);
  for (const rel of alsoOurs) candidates.add(rel);
  const readers = liveReaders(root);
  if (readers.length > 0) {
    const kept = [...candidates].filter((rel) => !keep.has(rel) && isInside(root, join(root, rel)));
    await rewriteWrittenLog(root, [...keep, ...kept]);
    const who = readers.map(describeHolder).join('; ');
    return {
      removed: 0,
      problems: kept.length
        ? [{ file: stateFiles(root).readers, message: `${kept.length} file(s) the dataset no longer uses are kept while ${readers.length} reader(s) use it (${who}); the next build removes them`, severity: 'warning' }]
        : [],
    };
  }
  let removed = 0;
  const problems: Problem[] = [];
  for (const rel of [...candidates].sort()) {
    if (keep.has(rel) || !isInside(root, join(root, rel))) continue;
    let stat: Stats;
    try {
      stat = await fs.lstat(join(root, rel));
    } catch {
      continue;
    }
    if (!stat.isFile() && !stat.isSymbolicLink()) continue;
    const why = whyKept(root, rel, stat);
    if (why) {
      problems.push({ file: join(root, rel), message: why, severity: 'warning' });
      continue;
    }
    await fs.rm(join(root, rel), { force: true });
    removed++;
    await removeEmptyParents(root, rel);
  }
  await rewriteWrittenLog(root, keep);
  return { removed, problems };
}
