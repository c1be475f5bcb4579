// @pure: whether a path lies inside a folder, and a path a manifest names resolved inside its
// root, worked out lexically.  Every process applies this one rule with its platform's path
// functions (node:path), which it passes in.
import type { PlatformPath } from 'node:path';
import { UserError } from './errors';

export type PathFunctions = Pick<PlatformPath, 'isAbsolute' | 'relative' | 'resolve'>;

export interface InsidePaths {
  /** True when `child` is `root` or lies below it (lexically, after resolving `..`). */
  isInside(root: string, child: string): boolean;
  /**
   * Resolves a path read from a manifest against its dataset root and refuses any that
   * escapes it (absolute paths, `..`, drive letters).
   */
  resolveInside(root: string, manifestPath: string, manifestFile?: string): string;
}

export function insidePaths(path: PathFunctions): InsidePaths {
  const isInside = (root: string, child: string): boolean => {
    const rel = path.relative(path.resolve(root), path.resolve(child));
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  const resolveInside = (root: string, manifestPath: string, manifestFile?: string): string => {
    if (path.isAbsolute(manifestPath) || /^[a-zA-Z]:/.test(manifestPath)) {
      throw new UserError(`path "${manifestPath}" is absolute; manifest paths must be relative to the dataset root`, manifestFile);
    }
    const full = path.resolve(root, manifestPath);
    if (!isInside(root, full)) {
      throw new UserError(`path "${manifestPath}" escapes the dataset root ${root}`, manifestFile);
    }
    return full;
  };
  return { isInside, resolveInside };
}
