// MVTec LOCO AD's `defects_config.json` beside an object's folders: a list of the object's defect
// types, each with the grey value its ground-truth masks hold, e.g.
//   [{ "defect_name": "missing_almonds", "pixel_value": 255, "saturation_threshold": 2000,
//      "relative_saturation": false }, …]
// Read here as a class map (mask value -> defect name), as `class_ids.json` is; the saturation
// fields belong to LOCO's own localisation metric and are not used.
import { promises as fs } from 'node:fs';
import { errorMessage } from '../../util/errors';
import type { ProblemLog } from './problems';

export const DEFECTS_CONFIG_FILE = 'defects_config.json';

const MAX_PIXEL_VALUE = 65535;

/** The defect classes of a parsed defects_config.json (pixel value -> defect name), or the reason it is malformed. */
export function parseDefectsConfig(json: unknown): Record<number, string> | string {
  if (!Array.isArray(json)) return 'expected a list of defect types, each with "defect_name" and "pixel_value"';
  const classes: Record<number, string> = {};
  for (const [i, entry] of json.entries()) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return `entry ${i + 1} is not an object`;
    const { defect_name: name, pixel_value: value } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '') return `entry ${i + 1}: "defect_name" is not a defect name (a non-empty string)`;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PIXEL_VALUE) {
      return `entry ${i + 1} ("${name}"): "pixel_value" is not a mask value (an integer 1..${MAX_PIXEL_VALUE})`;
    }
    const known = classes[value];
    if (known !== undefined && known !== name.trim()) return `pixel value ${value} is given to both "${known}" and "${name.trim()}"`;
    classes[value] = name.trim();
  }
  return classes;
}

/**
 * Reads a defects_config.json; a missing file gives `undefined` silently, a malformed one is
 * reported (the object's masks are then read as plain binary masks). A list with no defect
 * type also gives `undefined`.
 */
export async function readDefectsConfig(file: string, problems: ProblemLog): Promise<Record<number, string> | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    problems.error(file, `cannot read the defect types: ${errorMessage(err)}; masks of this object are read as binary`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    problems.error(file, `malformed defect types (invalid JSON: ${errorMessage(err)}); masks of this object are read as binary`);
    return undefined;
  }
  const parsed = parseDefectsConfig(json);
  if (typeof parsed === 'string') {
    problems.error(file, `malformed defect types (${parsed}); masks of this object are read as binary`);
    return undefined;
  }
  return Object.keys(parsed).length > 0 ? parsed : undefined;
}
