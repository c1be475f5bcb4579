// Folder listings for the readers: sorted, symbolic links followed, and every folder that
// cannot be read (or name that is not UTF-8) reported as a problem instead of stopping the reading.
import { promises as fs, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../util/errors';
import { isDir, pathExists } from '../../util/pathKinds';
import { decodeFileName, escapeFileName } from './fileNames';
import { specialFileKind } from '../../image/regularFile';
import { compareStrings, type ProblemLog } from './problems';

export { isDir, isFile } from '../../util/pathKinds';

export interface Entry {
  name: string;
  path: string;
  kind: 'file' | 'dir';
  /** Bytes, for files. */
  size: number;
}

function fsCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

function describeReadError(err: unknown): string {
  switch (fsCode(err)) {
    case 'ENOTDIR':
      return 'expected a folder but found a file';
    case 'EACCES':
    case 'EPERM':
      return 'cannot read folder: permission denied';
    case 'ENOENT':
      return 'folder is a broken symbolic link (its target does not exist)';
    default:
      return `cannot read folder: ${errorMessage(err)}`;
  }
}

/** A directory entry whose name is known to be valid UTF-8. */
interface NamedDirent {
  name: string;
  isDirectory(): boolean;
}

/** The entries of a folder listed as bytes; names that are not valid UTF-8 are reported and left out. */
function namedEntries(dir: string, dirents: readonly Dirent<Buffer>[], problems: ProblemLog): NamedDirent[] {
  const named: NamedDirent[] = [];
  for (const dirent of dirents) {
    const name = decodeFileName(dirent.name);
    if (name === undefined) {
      problems.warning(dir, `file name is not valid UTF-8: "${escapeFileName(dirent.name)}"; ignored (rename it to read it)`);
      continue;
    }
    named.push({ name, isDirectory: () => dirent.isDirectory() });
  }
  return named;
}

async function toEntry(dir: string, dirent: NamedDirent, problems: ProblemLog): Promise<Entry | undefined> {
  const path = join(dir, dirent.name);
  if (dirent.isDirectory()) return { name: dirent.name, path, kind: 'dir', size: 0 };
  try {
    const stat = await fs.stat(path);
    if (stat.isDirectory()) return { name: dirent.name, path, kind: 'dir', size: 0 };
    if (stat.isFile()) return { name: dirent.name, path, kind: 'file', size: stat.size };
    problems.warning(path, `is ${specialFileKind(stat)}, not a regular file; ignored`);
    return undefined;
  } catch (err) {
    problems.warning(path, fsCode(err) === 'ENOENT' ? 'broken symbolic link (its target does not exist); ignored' : `cannot read: ${errorMessage(err)}; ignored`);
    return undefined;
  }
}

/**
 * Lists a folder, sorted by name.  A folder that does not exist gives `[]` when
 * `missingOk`; any other failure (a file where a folder is expected, permission denied, a
 * broken link) is reported and gives `undefined`.
 */
export async function listDir(dir: string, problems: ProblemLog, options: { missingOk?: boolean } = {}): Promise<Entry[] | undefined> {
  let raw: Dirent<Buffer>[];
  try {
    raw = await fs.readdir(dir, { withFileTypes: true, encoding: 'buffer' });
  } catch (err) {
    if (options.missingOk && fsCode(err) === 'ENOENT' && !(await pathExists(dir))) return [];
    problems.error(dir, describeReadError(err));
    return undefined;
  }
  const dirents = namedEntries(dir, raw, problems).sort((a, b) => compareStrings(a.name, b.name));
  const entries = await Promise.all(dirents.map((d) => toEntry(dir, d, problems)));
  return entries.filter((e): e is Entry => e !== undefined);
}

/** The sub-folders of a listing, by name. */
export function subdirs(entries: readonly Entry[]): Map<string, Entry> {
  return new Map(entries.filter((e) => e.kind === 'dir').map((e) => [e.name, e]));
}

/** The sub-folders of `dir` (links followed), sorted; none when it cannot be read.  For layout detection. */
export async function childDirs(dir: string): Promise<string[]> {
  let dirents: Dirent[];
  try {
    dirents = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const paths = dirents.map((d) => join(dir, d.name)).sort(compareStrings);
  const flags = await Promise.all(paths.map(isDir));
  return paths.filter((_, i) => flags[i]);
}
