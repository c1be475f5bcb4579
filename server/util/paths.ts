import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UserError, errorMessage } from './errors';
import { insidePaths } from './insidePaths';

export const { isInside, resolveInside } = insidePaths({ isAbsolute, relative, resolve });

/**
 * Where a file lying lexically inside `root` really is once symbolic links are followed:
 * inside the real root; missing (nothing can be read through it); unresolvable for any other
 * reason (refused, as its real place is unknown); or outside, with the first link on the way
 * that leads out and that link's real target.
 */
export type RealPlace =
  | { kind: 'inside'; real: string }
  | { kind: 'missing' }
  | { kind: 'unresolvable'; reason: string }
  | { kind: 'outside'; real: string; link: string; target: string };

/** The first path component from `root` down to `file` that is a link whose real target lies outside `realRoot`. */
function linkLeadingOut(root: string, realRoot: string, file: string, real: string): { link: string; target: string } {
  let path = resolve(root);
  for (const part of relative(path, file).split(sep)) {
    path = join(path, part);
    try {
      if (!lstatSync(path).isSymbolicLink()) continue;
      const target = realpathSync(path);
      if (!isInside(realRoot, target)) return { link: path, target };
    } catch {
      break;
    }
  }
  return { link: file, target: real };
}

/** Follows the symbolic links of `file` (which must lie lexically inside `root`) and says whether it stays inside the real `root`. */
export function realPlace(root: string, file: string): RealPlace {
  let real: string;
  try {
    real = realpathSync(file);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    // Missing, a loop, or not searchable: opening it fails the same way and reports why.
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'EACCES') return { kind: 'missing' };
    // Anything else (a resolved path too long, say) might still open: refuse it.
    return { kind: 'unresolvable', reason: errorMessage(err) };
  }
  const realRoot = realpathSync(root);
  if (isInside(realRoot, real)) return { kind: 'inside', real };
  return { kind: 'outside', real, ...linkLeadingOut(root, realRoot, file, real) };
}

/**
 * `resolveInside`, and also refuses a path whose real location (symbolic links followed)
 * lies outside the real dataset root, naming the link that leads out.  A missing file is
 * returned as is: reading it fails with its own message.
 */
export function resolveInsideReal(root: string, manifestPath: string, manifestFile?: string): string {
  const full = resolveInside(root, manifestPath, manifestFile);
  const place = realPlace(root, full);
  if (place.kind === 'unresolvable') throw new UserError(`path "${manifestPath}": cannot follow its symbolic links: ${place.reason}`, manifestFile);
  if (place.kind === 'outside') {
    throw new UserError(`path "${manifestPath}" leads outside the dataset root through the symbolic link ${place.link} (to ${place.target})`, manifestFile);
  }
  return full;
}

/**
 * `resolveInside` for a file about to be written: its folder, symbolic links followed, lies inside
 * the real dataset root (a folder still to be made is judged by its nearest existing parent), and
 * the file itself is neither a symbolic link (a write would replace the link, not write where it
 * points) nor a folder.
 */
export function resolveWritableInside(root: string, manifestPath: string, manifestFile?: string): string {
  const full = resolveInside(root, manifestPath, manifestFile);
  let folder = dirname(full);
  while (isInside(root, folder) && !lexists(folder)) folder = dirname(folder);
  const place = realPlace(root, folder);
  if (place.kind === 'outside') {
    throw new UserError(`path "${manifestPath}" leads outside the dataset root through the symbolic link ${place.link} (to ${place.target})`, manifestFile);
  }
  if (place.kind !== 'inside') throw new UserError(`path "${manifestPath}": cannot follow its symbolic links${place.kind === 'unresolvable' ? `: ${place.reason}` : ''}`, manifestFile);
  let stat;
  try {
    stat = lstatSync(full);
  } catch {
    return full;
  }
  if (stat.isSymbolicLink()) throw new UserError(`path "${manifestPath}" is a symbolic link; a file is not written over a link`, manifestFile);
  if (stat.isDirectory()) throw new UserError(`path "${manifestPath}" is a folder`, manifestFile);
  return full;
}

function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A dataset-relative path with forward slashes, as written into manifests. */
export function toManifestPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}
