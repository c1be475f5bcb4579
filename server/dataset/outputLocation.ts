// Where a build may write: never inside a source (the source is never modified), never
// around one, and never over a folder that holds something other than a dataset.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError, errorMessage } from '../util/errors';
import { isInside } from '../util/paths';
import { checkOutputFolder } from '../util/outputPath';
import { MANIFEST_FILE } from './manifest';
import { checkManifest } from './schema';
import { STATE_DIR } from './stateDir';

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
  checkOutputFolder(out, '--out');
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
    checkOwnedOutput(realOut, out);
  }
}

/** Why a manifest is not one this tool wrote, or undefined when it is. */
function notOurManifest(file: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return `cannot be read as JSON (${errorMessage(err)})`;
  }
  if ((value as { tool?: { name?: unknown } } | null)?.tool?.name !== 'anomaly-lens') return 'was not written by anomaly-lens';
  const errors = checkManifest(value);
  return errors.length > 0 ? `is not a valid dataset manifest (${errors[0]})` : undefined;
}

/**
 * A non-empty output folder may only be rebuilt when it is ours: it holds the tool's own folder
 * (left by an earlier build, finished or not), or a valid dataset.json that this tool wrote.
 * Anything else is the user's and is refused before anything is written.
 */
export function checkOwnedOutput(realOut: string, out: string): void {
  const entries = readdirSync(realOut);
  if (entries.length === 0) return;
  if (entries.includes(STATE_DIR) && lstatSync(join(realOut, STATE_DIR)).isDirectory()) return;
  if (!entries.includes(MANIFEST_FILE)) {
    throw new UserError('the output folder is not empty and holds no dataset; choose a new or empty folder', out);
  }
  const why = notOurManifest(join(realOut, MANIFEST_FILE));
  if (why) {
    throw new UserError(`the output folder is not empty and its ${MANIFEST_FILE} ${why}; a build only replaces a dataset it built: choose a new or empty folder`, out);
  }
}
