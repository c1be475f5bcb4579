// Where a build may write: never inside a source (the source is never modified), never
// around one, and never over a folder that holds something other than a dataset.
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../util/errors';
import { isInside } from '../util/paths';
import { MANIFEST_FILE } from './manifest';
import { CACHE_DIR } from './recordCache';

/** The real path of `p`, following symbolic links of the part that exists. */
export function realPathOf(p: string): string {
  const full = resolve(p);
  if (existsSync(full)) return realpathSync(full);
  const parent = dirname(full);
  return parent === full ? full : join(realPathOf(parent), basename(full));
}

/** Refuses sources that are the same folder or lie one inside the other (their images would count twice). */
export function checkSourcesApart(sources: readonly string[]): void {
  const real = sources.map(realPathOf);
  for (let i = 0; i < real.length; i++) {
    for (let j = i + 1; j < real.length; j++) {
      if (isInside(real[i], real[j]) || isInside(real[j], real[i])) {
        throw new UserError(`the sources ${sources[i]} and ${sources[j]} overlap; give each folder once`);
      }
    }
  }
}

/** Refuses an output folder that overlaps a source (either way round). */
export function checkOutputLocation(out: string, sources: readonly string[]): void {
  const realOut = realPathOf(out);
  for (const source of sources) {
    const realSource = realPathOf(source);
    if (isInside(realSource, realOut)) {
      throw new UserError(`the output folder ${out} lies inside the source ${source}; a build never writes into its source`);
    }
    if (isInside(realOut, realSource)) {
      throw new UserError(`the source ${source} lies inside the output folder ${out}; choose an output folder outside the source`);
    }
  }
  if (existsSync(realOut)) {
    if (!statSync(realOut).isDirectory()) throw new UserError('the output path exists and is not a folder', out);
    const entries = readdirSync(realOut);
    if (entries.length > 0 && !entries.includes(MANIFEST_FILE) && !entries.includes(CACHE_DIR)) {
      throw new UserError('the output folder is not empty and holds no dataset; choose a new or empty folder', out);
    }
  }
}
