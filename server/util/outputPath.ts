// Output locations checked before a command starts its work, so that a bad --out is one clear
// user error and not a failure ("ENOTDIR", "EACCES") halfway through the job.
import { accessSync, constants, lstatSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from './errors';
import { kernelFileSystem } from './fileSystemKind';

function statOrUndefined(read: (path: string) => Stats, path: string, name: string): Stats | undefined {
  try {
    return read(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return undefined; // a parent is a file: reported when the parents are checked
    if (code === 'EACCES' || code === 'ELOOP' || code === 'ENAMETOOLONG') {
      const why = code === 'EACCES' ? 'permission denied' : code === 'ELOOP' ? 'too many levels of symbolic links' : 'the name is too long';
      throw new UserError(`cannot look at ${path}: ${why}`, name);
    }
    throw err;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Refuses an existing folder on one of the kernel's file systems; `self` says whether it is the path given. */
function checkFileSystem(folder: string, self: boolean, path: string, option: string | undefined): void {
  const kind = kernelFileSystem(folder);
  if (kind) throw new UserError(`${self ? '' : `${folder} `}is on a ${kind} file system, which holds the kernel's objects, not files; choose a folder on a disk`, label(path, option));
}

/** How the problem is named: `--out DIR` for an option, the path alone for an argument. */
function label(path: string, option?: string): string {
  return option ? `${option} ${path}` : path;
}

/**
 * Checks `path` for a missing entry that the command may create: the nearest existing
 * ancestor must be a writable folder (a regular file or a dangling link on the way is named).
 */
function checkCreatable(path: string, option: string | undefined): void {
  let child = resolve(path);
  for (let parent = dirname(child); ; child = parent, parent = dirname(parent)) {
    const link = statOrUndefined(lstatSync, parent, label(path, option));
    if (link) {
      const target = statOrUndefined(statSync, parent, label(path, option));
      if (!target) throw new UserError(`${parent} is a symbolic link to a missing target`, label(path, option));
      if (!target.isDirectory()) throw new UserError(`${parent} is a file, not a folder, so nothing can be created in it`, label(path, option));
      checkFileSystem(parent, false, path, option);
      if (!writable(parent)) throw new UserError(`the folder ${parent} is not writable`, label(path, option));
      return;
    }
    if (parent === child) return; // the filesystem root
  }
}

/** The common part: an existing entry must be reachable (not a dangling link). */
function existing(path: string, option: string | undefined): Stats | undefined {
  const link = statOrUndefined(lstatSync, path, label(path, option));
  if (!link) return undefined;
  const target = statOrUndefined(statSync, path, label(path, option));
  if (!target) throw new UserError('is a symbolic link to a missing target', label(path, option));
  return target;
}

/**
 * An output folder given by the user: an existing writable folder, or a path whose nearest
 * existing ancestor is a writable folder, on a file system that holds files (not /proc, /sys,
 * /dev …). Anything else is a UserError naming the option.
 */
export function checkOutputFolder(path: string, option?: string): void {
  const found = existing(path, option);
  if (!found) return checkCreatable(path, option);
  if (!found.isDirectory()) throw new UserError('is a file, not a folder', label(path, option));
  checkFileSystem(path, true, path, option);
  if (!writable(path)) throw new UserError('the folder is not writable', label(path, option));
}

/** An output file given by the user: a regular file to replace, or a path it can be created at. */
export function checkOutputFile(path: string, option?: string): void {
  const found = existing(path, option);
  if (!found) return checkCreatable(path, option);
  if (found.isDirectory()) throw new UserError('is a folder, not a file', label(path, option));
  if (!found.isFile()) throw new UserError('is not a regular file', label(path, option));
  checkCreatable(path, option); // replacing the file means writing in its folder
}
