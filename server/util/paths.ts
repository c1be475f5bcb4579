import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UserError } from './errors';

/** True when `child` is `root` or lies below it (lexically, after resolving `..`). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(resolve(root), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Resolves a path read from a manifest against its dataset root and refuses any that
 * escapes it (absolute paths, `..`, drive letters).
 */
export function resolveInside(root: string, manifestPath: string, manifestFile?: string): string {
  if (isAbsolute(manifestPath) || /^[a-zA-Z]:/.test(manifestPath)) {
    throw new UserError(`path "${manifestPath}" is absolute; manifest paths must be relative to the dataset root`, manifestFile);
  }
  const full = resolve(root, manifestPath);
  if (!isInside(root, full)) {
    throw new UserError(`path "${manifestPath}" escapes the dataset root ${root}`, manifestFile);
  }
  return full;
}

/** A dataset-relative path with forward slashes, as written into manifests. */
export function toManifestPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}
