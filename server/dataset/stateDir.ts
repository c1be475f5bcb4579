// The tool's own folder inside a dataset: the marker that the folder is ours, the build lock,
// the log of every file a build wrote, staged manifests and temporary files.
import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors';

export const STATE_DIR = '.anomaly-lens';
/** The build cache (records, LLM answers). */
export const CACHE_DIR = '.cache';

export const stateFiles = (out: string) => ({
  dir: join(out, STATE_DIR),
  lock: join(out, STATE_DIR, 'lock'),
  written: join(out, STATE_DIR, 'written.log'),
  staging: join(out, STATE_DIR, 'staging'),
  tmp: join(out, STATE_DIR, 'tmp'),
  /** Leases of the readers using the dataset now (readerLease.ts). */
  readers: join(out, STATE_DIR, 'readers'),
});

/** Folders and files of the tool that builds create, write, empty and delete wholesale. */
const OWN_PATHS = [STATE_DIR, ...['lock', 'written.log', 'staging', 'tmp', 'readers'].map((f) => join(STATE_DIR, f)), CACHE_DIR, join(CACHE_DIR, 'records'), join(CACHE_DIR, 'llm')];

/**
 * Refuses a dataset folder where one of the tool's own folders or files is a symbolic link: a
 * build empties and writes them, so through a link it would delete and write elsewhere.
 */
export function checkOwnFolders(out: string): void {
  for (const rel of OWN_PATHS) {
    const path = join(out, rel);
    let link = false;
    try {
      link = lstatSync(path).isSymbolicLink();
    } catch {
      continue;
    }
    if (link) {
      let target = '';
      try {
        target = ` (to ${readlinkSync(path)})`;
      } catch {
        // unreadable: named without its target
      }
      throw new UserError(`is a symbolic link${target}; the tool's own folders and files in a dataset must not be links, as it writes and deletes in them: remove the link`, path);
    }
  }
}
