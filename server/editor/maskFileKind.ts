// What a source mask's path holds, checked before the mask editor reads or writes it: a folder or
// a special file is named as such (not a raw EISDIR), and a symbolic link is never saved over (the
// save would replace the link by a file, and the file it points to would never get the edit).
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../util/errors';

/** Refuses a mask path that is a folder or not a file; a missing one is left to the reader. */
export async function checkMaskForRead(mask: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(mask);
  } catch {
    return;
  }
  if (stat.isDirectory()) throw new UserError('is a folder, not a mask file', mask);
  if (!stat.isFile()) throw new UserError('is not a regular file, so it is not read as a mask', mask);
}

/** Refuses to save over a symbolic link, a folder or anything but a regular file; a missing path is a new mask. */
export async function checkMaskForWrite(mask: string): Promise<void> {
  let stat;
  try {
    stat = await fs.lstat(mask);
  } catch {
    return;
  }
  if (stat.isSymbolicLink()) {
    const target = await fs.readlink(mask).then((t) => resolve(mask, '..', t), () => 'a file that cannot be read');
    throw new UserError(`is a symbolic link (to ${target}); the mask editor does not replace a link by a file: open the file it points to, or save the regions as another file`, mask);
  }
  if (stat.isDirectory()) throw new UserError('is a folder, not a mask file', mask);
  if (!stat.isFile()) throw new UserError('is not a regular file, so no mask is saved over it', mask);
}
