// The class map of a mask file met outside a build (describe --region-of, the describe
// request): the nearest `class_ids.json` or MVTec LOCO AD `defects_config.json` in the mask's
// folder or in one of the folders above it, as far up as an object folder lies in the layouts
// that keep one there (`<object>/ground_truth/<defect>/<mask>`, `<object>/<defect>/mask/<mask>`,
// MVTec LOCO's `<object>/ground_truth/<defect>/<image>/<mask>`).
import { dirname } from 'node:path';
import { readObjectClassMap } from './classIds';
import { ProblemLog } from './problems';

/** The mask's folder and the folders above it that are looked in. */
export const CLASS_MAP_LEVELS = 4;

export interface MaskClassMap {
  /** The file that names the classes. */
  file: string;
  /** Mask value -> defect name (background left out). */
  classNames: Record<number, string>;
}

/**
 * The class map that applies to `mask`, or undefined when none lies near it. A malformed map is
 * reported through `warn` (naming its file once) and the mask is then read as a binary mask.
 */
export async function maskClassMap(mask: string, warn: (message: string) => void = () => undefined): Promise<MaskClassMap | undefined> {
  let dir = dirname(mask);
  for (let level = 0; level < CLASS_MAP_LEVELS; level++) {
    const problems = new ProblemLog();
    const map = await readObjectClassMap(dir, problems);
    for (const p of problems.list) warn(`${p.file}: ${p.message}`);
    if (map || problems.list.length > 0) return map;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}
