// Files a build writes into its output: named by their content, so a file never changes under
// its name (a dataset on disk keeps every file it refers to until a newer one has replaced it),
// and logged before they are written, so a later build deletes only files this tool wrote.
import { appendFileSync, copyFileSync, lstatSync, mkdirSync, promises as fs, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { dirname, extname, join } from 'node:path';
import { placeFileAtomic, writeFileAtomic } from '../util/atomicWrite';
import { resolveWritableInside } from '../util/paths';
import { stateFiles } from './stateDir';
import type { FileStamp } from './fingerprint';

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `images/a/000.png` + hash -> `images/a/000.3fa9c2d1.png`: the name says which content it holds. */
export function contentAddressed(rel: string, hash: string): string {
  const ext = extname(rel);
  return `${rel.slice(0, rel.length - ext.length)}.${hash.slice(0, 8)}${ext}`;
}

async function hashOf(file: string): Promise<string | undefined> {
  try {
    return sha256(await fs.readFile(file));
  } catch {
    return undefined;
  }
}

/** True when `rel` exists below `out` as a regular file, not reached through a link that leads out, holding exactly the content with this sha256. */
export async function holdsContent(out: string, rel: string, hash: string): Promise<boolean> {
  try {
    if (!(await fs.lstat(join(out, rel))).isFile()) return false;
    resolveWritableInside(out, rel);
  } catch {
    return false;
  }
  return (await hashOf(join(out, rel))) === hash;
}

/** Appends paths to the output's log of written files (one O_APPEND write: lines never interleave). */
export async function logWritten(out: string, rels: readonly string[]): Promise<void> {
  if (rels.length === 0) return;
  const { written } = stateFiles(out);
  await fs.mkdir(dirname(written), { recursive: true });
  await fs.appendFile(written, rels.map((r) => `${r}\n`).join(''));
}

export async function readWrittenLog(out: string): Promise<Set<string>> {
  try {
    const text = await fs.readFile(stateFiles(out).written, 'utf8');
    return new Set(text.split('\n').filter((l) => l !== ''));
  } catch {
    return new Set();
  }
}

/** Replaces the log with the files still present after a prune (temp file, then rename). */
export async function rewriteWrittenLog(out: string, rels: Iterable<string>): Promise<void> {
  const { written, tmp } = stateFiles(out);
  await writeFileAtomic(written, [...rels].sort().map((r) => `${r}\n`).join(''), tmp);
}

/**
 * Writes `data` to `rel` (content-addressed by the caller) unless the file already holds it.
 * The name is logged first; the bytes go to a temp file in the tool's folder, then are renamed in
 * (so no temp file of ours is ever left among the user's).  A name whose folder really lies
 * outside the dataset (a symbolic link on the way leads out), or that is a link, is refused.
 */
export async function writeOwnedFile(out: string, rel: string, data: Uint8Array, hash = sha256(data)): Promise<void> {
  await writeOwnedFiles(out, [{ rel, data, hash }]);
}

export interface OwnedFile {
  rel: string;
  data: Uint8Array;
  hash: string;
  /**
   * A file that held `data` when it was stamped (size and modification time, taken before it
   * was read): the kernel copies it, which costs less than writing the bytes, unless its stamp
   * has changed by the time the copy is done.
   */
  copyOf?: { file: string; stamp: FileStamp };
}

/** A file's size and modification time; undefined when it cannot be stat'ed. */
export async function stampOf(file: string): Promise<FileStamp | undefined> {
  try {
    const { size, mtimeMs } = await fs.stat(file);
    return { size, mtimeMs };
  } catch {
    return undefined;
  }
}

async function fill(tmp: string, { data, copyOf }: OwnedFile): Promise<void> {
  if (copyOf) {
    await fs.copyFile(copyOf.file, tmp);
    const now = await stampOf(copyOf.file);
    if (now && now.size === copyOf.stamp.size && now.mtimeMs === copyOf.stamp.mtimeMs && now.size === data.length) return;
  }
  await fs.writeFile(tmp, data);
}

/** writeOwnedFile for several files, logged together (one append for all the names). */
export async function writeOwnedFiles(out: string, files: readonly OwnedFile[]): Promise<void> {
  for (const { rel } of files) resolveWritableInside(out, rel);
  const held = await Promise.all(files.map(({ rel, hash }) => holdsContent(out, rel, hash)));
  const needed = files.filter((_, i) => !held[i]);
  await logWritten(out, needed.map((f) => f.rel));
  const tmp = stateFiles(out).tmp;
  await Promise.all(needed.map((f) => placeFileAtomic(join(out, f.rel), (t) => fill(t, f), tmp)));
}

// The same with blocking calls, for a worker thread: there they hold up nothing else, and each
// is one system call instead of a hand-off to libuv's thread pool and back.

function holdsContentSync(out: string, rel: string, hash: string): boolean {
  try {
    if (!lstatSync(join(out, rel)).isFile()) return false;
    resolveWritableInside(out, rel);
    return sha256(readFileSync(join(out, rel))) === hash;
  } catch {
    return false;
  }
}

/** stampOf with a blocking call. */
export function stampOfSync(file: string): FileStamp | undefined {
  try {
    const { size, mtimeMs } = statSync(file);
    return { size, mtimeMs };
  } catch {
    return undefined;
  }
}

/** Runs `step`; when a folder it needs is missing, makes `folder` and runs it once more. */
function inFolderSync(folder: string, step: () => void): void {
  try {
    step();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(folder, { recursive: true });
    step();
  }
}

/** writeOwnedFiles with blocking calls. */
export function writeOwnedFilesSync(out: string, files: readonly OwnedFile[]): void {
  for (const { rel } of files) resolveWritableInside(out, rel);
  const needed = files.filter(({ rel, hash }) => !holdsContentSync(out, rel, hash));
  if (needed.length === 0) return;
  const { written, tmp: tmpDir } = stateFiles(out);
  inFolderSync(dirname(written), () => appendFileSync(written, needed.map((f) => `${f.rel}\n`).join('')));
  for (const file of needed) {
    const tmp = join(tmpDir, `${randomBytes(6).toString('hex')}.tmp`);
    const target = join(out, file.rel);
    try {
      inFolderSync(tmpDir, () => {
        if (file.copyOf) {
          copyFileSync(file.copyOf.file, tmp);
          const now = stampOfSync(file.copyOf.file);
          const { stamp } = file.copyOf;
          if (now && now.size === stamp.size && now.mtimeMs === stamp.mtimeMs && now.size === file.data.length) return;
        }
        writeFileSync(tmp, file.data);
      });
      inFolderSync(dirname(target), () => renameSync(tmp, target));
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }
}
