// A saved split file read for its lint by its path alone, straight into shared memory for the
// lint worker: the read runs in the file system's own threads, so a file of tens of megabytes
// never passes through the server's thread.  The path comes from the client and is not trusted:
// only what a lint reads anyway is read, an absolute path of a split file (*.jsonl, its folder
// the dataset root) that is a regular file itself, not a symbolic link to somewhere else.
import { constants, promises as fs } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { specialFileKind } from '../image/regularFile';
import { UserError, errorMessage } from '../util/errors';

/** The bytes of a UTF-8 byte order mark, which the editor does not show as part of the text. */
const BOM = [0xef, 0xbb, 0xbf];

function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'cannot read the split file: no such file';
  if (code === 'EACCES') return 'cannot read the split file: permission denied';
  if (code === 'ENOTDIR') return 'cannot read the split file: a folder on its path is a file';
  if (code === 'ELOOP') return 'is a symbolic link; a split file is read by its path only when it is a file itself';
  if (code === 'EISDIR') return 'is a directory, not a split file';
  return `cannot read the split file: ${errorMessage(err)}`;
}

/** Refuses a path that is no split file's: a relative one, or one not named *.jsonl. */
export function checkSplitFilePath(file: string): void {
  if (!isAbsolute(file)) throw new UserError('a split file read by its path needs an absolute path', file);
  if (!/\.jsonl$/.test(basename(file))) throw new UserError('is not a split file (*.jsonl); only a split file is read by its path', file);
}

/** Room for `size` bytes in shared memory, or a clear refusal when there is none. */
function sharedBytes(file: string, size: number): Uint8Array {
  try {
    return new Uint8Array(new SharedArrayBuffer(size));
  } catch (err) {
    throw new UserError(`is ${size} bytes, more than can be held to check it here (${errorMessage(err)}); anomaly-lens validate checks it`, file);
  }
}

/**
 * The UTF-8 bytes of the split file `file` (without a byte order mark) in a SharedArrayBuffer.
 * Refused with a UserError naming the file: a path that is no split file's, a symbolic link, a
 * directory, a pipe or a device, a file missing or unreadable.
 */
export async function readSplitFileShared(file: string): Promise<Uint8Array> {
  checkSplitFilePath(file);
  let handle: fs.FileHandle;
  try {
    // O_NOFOLLOW: the last component is opened only when it is no link (checked by the open
    // itself, so a link swapped in after a check is refused too); O_NONBLOCK: a pipe cannot hang it.
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new UserError(readFailure(err), file);
  }
  try {
    const stats = await handle.stat().catch((err: unknown) => {
      throw new UserError(readFailure(err), file);
    });
    const kind = specialFileKind(stats);
    if (kind) throw new UserError(`is ${kind}, not a split file; refused without reading it`, file);
    const bytes = sharedBytes(file, stats.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled).catch((err: unknown) => {
        throw new UserError(readFailure(err), file);
      });
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const start = filled >= 3 && BOM.every((b, i) => bytes[i] === b) ? 3 : 0;
    return bytes.subarray(start, filled);
  } finally {
    await handle.close();
  }
}
