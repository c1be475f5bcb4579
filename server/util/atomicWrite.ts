import { promises as fs, writeFileSync, renameSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** The longest file name, in bytes, that common file systems accept (NAME_MAX). */
export const NAME_MAX = 255;

/** The longest prefix of `text` that takes at most `bytes` bytes in UTF-8, cut between characters. */
function truncateUtf8(text: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (used + size > bytes) break;
    used += size;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * A fresh temporary name beside `file`, for writing it and then renaming it into place:
 * `.<name>.<pid>.<random>.tmp`, with the name shortened so that the whole stays within
 * NAME_MAX bytes even when `file`'s own name is close to the limit.
 */
export function tempPathFor(file: string): string {
  const suffix = `.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const name = truncateUtf8(basename(file), NAME_MAX - 1 - suffix.length);
  return join(dirname(file), `.${name}${suffix}`);
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Runs `step`; when a folder it needs is missing, makes `folder` (with its parents) and runs it once more. */
async function inFolder(folder: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (err) {
    if (!isMissing(err)) throw err;
    await fs.mkdir(folder, { recursive: true });
    await step();
  }
}

/**
 * Puts a file in place so that readers see either the old or the new content, never a part:
 * `fill` writes a temporary file, which is then renamed over `file`.  The temporary file lies
 * beside it, or in `tempDir` (on the same file system) when given.  Missing folders are made
 * (only when a step finds them missing: a build writes thousands of files into a few folders).
 */
export async function placeFileAtomic(file: string, fill: (tmp: string) => Promise<void>, tempDir?: string): Promise<void> {
  const tmp = tempDir ? join(tempDir, `${randomBytes(6).toString('hex')}.tmp`) : tempPathFor(file);
  try {
    await inFolder(dirname(tmp), () => fill(tmp));
    await inFolder(dirname(file), () => fs.rename(tmp, file));
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Writes a file so that readers see either the old or the new content, never a part (see placeFileAtomic). */
export async function writeFileAtomic(file: string, data: string | Uint8Array, tempDir?: string): Promise<void> {
  await placeFileAtomic(file, (tmp) => fs.writeFile(tmp, data), tempDir);
}

export function writeFileAtomicSync(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = tempPathFor(file);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
