// Which folders the panels may read and run on. A webview's saved state and a report's content
// name folders too, but neither is trusted with paths: a folder they name is used only when it
// lies inside an allowed place (the workspace folders, and the folders this workspace's own
// commands opened a panel on), symbolic links followed. No `vscode`: unit-tested directly.
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** How many folders opened by commands are remembered per workspace. */
export const REMEMBERED_FOLDERS = 200;

/** The real path of `path`; of a missing one, its nearest existing parent's real path with the rest appended. */
function realOf(path: string): string {
  const full = resolve(path);
  try {
    return realpathSync(full);
  } catch {
    const parent = resolve(full, '..');
    return parent === full ? full : resolve(realOf(parent), relative(parent, full));
  }
}

/** True when `path` is `root` or lies below it once symbolic links are followed on both. */
export function isWithin(path: string, root: string): boolean {
  const rel = relative(realOf(root), realOf(path));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** `given` as an absolute folder when it is an absolute path inside one of `roots`, else undefined. */
export function confinedFolder(given: unknown, roots: readonly string[]): string | undefined {
  if (typeof given !== 'string' || given === '' || given.includes('\0') || !isAbsolute(given)) return undefined;
  const folder = resolve(given);
  return roots.some((root) => root !== '' && isWithin(folder, root)) ? folder : undefined;
}

/** The remembered folders with `folder` first (once), at most REMEMBERED_FOLDERS of them. */
export function rememberFolder(remembered: readonly string[], folder: string): string[] {
  const full = resolve(folder);
  return [full, ...remembered.filter((f) => typeof f === 'string' && f !== full)].slice(0, REMEMBERED_FOLDERS);
}
