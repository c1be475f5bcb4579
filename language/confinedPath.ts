// Where a path that a split file or bundle.json names leads inside its folder, by the engine's
// own rule (server/util/insidePaths.ts) applied with this platform's paths.
import * as path from 'node:path';
import { insidePaths } from '../server/util/insidePaths';

const { resolveInside } = insidePaths(path);

/** The file `manifestPath` names inside `root`; undefined for one that is absolute or leaves it. */
export function confinedPath(root: string, manifestPath: string): string | undefined {
  try {
    return resolveInside(root, manifestPath);
  } catch {
    return undefined;
  }
}
