// Whether something is at a path and what it is; false for anything that cannot be read.
import { promises as fs } from 'node:fs';

/** Whether anything is at `path`: a symbolic link counts itself, whatever it points to. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether `path` is a folder (following links). */
export async function isDir(path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Whether `path` is a file (following links). */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)).isFile();
  } catch {
    return false;
  }
}
