// Reading an input file only when it is a regular file: a named pipe (FIFO) would block the
// read forever and a device (/dev/zero) never ends, so their type is checked before they are
// opened, and again on the opened handle (in case the path was swapped in between; opening
// without blocking keeps a pipe swapped in from hanging the open itself).
import { closeSync, constants, fstatSync, openSync, promises as fs, readFileSync, statSync, type Stats } from 'node:fs';
import { UserError, errorMessage } from '../util/errors';

/** What a non-regular file is, in words; undefined for a regular file. */
export function specialFileKind(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function refusal(kind: string): string {
  return `is ${kind}, not a regular file; refused without reading it`;
}

function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'a folder on its path is a file' : errorMessage(err);
}

/** Throws a UserError naming the file unless it is a regular file (symbolic links followed). */
export async function requireRegularFile(file: string, what = 'file'): Promise<Stats> {
  let stats: Stats;
  try {
    stats = await fs.stat(file);
  } catch (err) {
    throw new UserError(`cannot read the ${what}: ${readFailure(err)}`, file);
  }
  const kind = specialFileKind(stats);
  if (kind) throw new UserError(refusal(kind), file);
  return stats;
}

/** The whole content of a regular file; anything else is refused with a UserError naming it. */
export async function readRegularFile(file: string, what = 'file'): Promise<Buffer> {
  await requireRegularFile(file, what);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new UserError(`cannot read the ${what}: ${readFailure(err)}`, file);
  }
  try {
    const kind = specialFileKind(await handle.stat());
    if (kind) throw new UserError(refusal(kind), file);
    return await handle.readFile();
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read the ${what}: ${readFailure(err)}`, file);
  } finally {
    await handle.close();
  }
}

/**
 * readRegularFile with blocking calls: for a worker thread, where they hold up nothing else
 * and each call is one system call instead of a hand-off to libuv's thread pool and back.
 */
export function readRegularFileSync(file: string, what = 'file'): Buffer {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (err) {
    throw new UserError(`cannot read the ${what}: ${readFailure(err)}`, file);
  }
  const kind = specialFileKind(stats);
  if (kind) throw new UserError(refusal(kind), file);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new UserError(`cannot read the ${what}: ${readFailure(err)}`, file);
  }
  try {
    const opened = specialFileKind(fstatSync(fd));
    if (opened) throw new UserError(refusal(opened), file);
    return readFileSync(fd);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read the ${what}: ${readFailure(err)}`, file);
  } finally {
    closeSync(fd);
  }
}
