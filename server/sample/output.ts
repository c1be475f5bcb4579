// The output folder rule: the generator writes into a new or empty folder, or over an
// earlier sample output, where it replaces only the files that output's sample.json lists
// (files added by hand stay).  Any other non-empty folder is refused.
import { promises as fs } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { errorMessage, UserError } from '../util/errors';
import { resolveInside } from '../util/paths';
import { LAYOUT_DIRS, MANIFEST_FILE } from './layout';
import { ownedFiles, parsePreviousManifest } from './manifest';

export interface OutputState {
  /** Files (relative) the earlier sample output in this folder owns; empty for a new folder. */
  previous: string[];
}

export async function inspectOutput(out: string): Promise<OutputState> {
  let entries: string[];
  try {
    const stat = await fs.stat(out);
    if (!stat.isDirectory()) throw new UserError('exists and is not a folder', out);
    entries = await fs.readdir(out);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return { previous: [] };
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read the output folder: ${errorMessage(err)}`, out);
  }
  if (entries.length === 0) return { previous: [] };
  const manifestFile = join(out, MANIFEST_FILE);
  let text: string;
  try {
    text = await fs.readFile(manifestFile, 'utf8');
  } catch {
    throw new UserError(`is not empty and holds no ${MANIFEST_FILE}, so it is not an earlier sample output; choose a new or empty folder`, out);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserError(`cannot take this folder over: invalid JSON (${errorMessage(err)}); choose a new or empty folder`, manifestFile);
  }
  const parsed = parsePreviousManifest(json);
  if (typeof parsed === 'string') throw new UserError(`cannot take this folder over: ${parsed}; choose a new or empty folder`, manifestFile);
  return { previous: ownedFiles(parsed) };
}

/**
 * Removes the earlier output's files that the new one does not write, then the folders
 * under the layout folders that this leaves empty.  Returns how many files were removed.
 */
export async function removeStale(out: string, previous: readonly string[], next: ReadonlySet<string>): Promise<number> {
  let removed = 0;
  const dirs = new Set<string>();
  for (const rel of previous) {
    if (next.has(rel)) continue;
    const file = resolveInside(out, rel);
    try {
      await fs.unlink(file);
      removed++;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw new UserError(`cannot remove a file of the earlier sample output: ${errorMessage(err)}`, file);
    }
    for (let d = dirname(file); d.length > out.length; d = dirname(d)) dirs.add(d);
  }
  const roots = new Set(Object.values(LAYOUT_DIRS).map((d) => join(out, d)));
  for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
    if (![...roots].some((r) => dir.startsWith(r + sep))) continue;
    await fs.rmdir(dir).catch(() => undefined);
  }
  return removed;
}
