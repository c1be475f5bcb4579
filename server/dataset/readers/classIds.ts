// `class_ids.json` beside an object's folders: mask grey value -> defect name, as MVTec 3D
// style data and the sample generator write it, e.g. {"0": "good", "255": "contamination"};
// and the class map an object folder holds in either form (MVTec LOCO AD's: defectsConfig.ts).
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../util/errors';
import { isFile } from '../../util/pathKinds';
import { CLASS_IDS_FILE } from './classIdsFile';
import { DEFECTS_CONFIG_FILE, readDefectsConfig } from './defectsConfig';
import type { ProblemLog } from './problems';

export { CLASS_IDS_FILE } from './classIdsFile';

const MAX_CLASS_ID = 65535;

/**
 * Checks a parsed class map and returns its defect classes (value 0 and the name "good"
 * are background and left out), or the reason it is malformed.
 */
export function parseClassIds(json: unknown): Record<number, string> | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'expected an object mapping mask values to defect names';
  const classes: Record<number, string> = {};
  for (const [key, name] of Object.entries(json)) {
    if (!/^\d+$/.test(key) || Number(key) > MAX_CLASS_ID) return `key "${key}" is not a mask value (an integer 0..${MAX_CLASS_ID})`;
    if (typeof name !== 'string' || name.trim() === '') return `value of "${key}" is not a defect name (a non-empty string)`;
    const value = Number(key);
    if (value === 0 || name.trim() === 'good') continue;
    classes[value] = name.trim();
  }
  return classes;
}

/**
 * Reads a class map; a missing file gives `undefined` silently, a malformed one is
 * reported (the object's masks are then read as plain binary masks).  A map with no
 * defect class also gives `undefined`.
 */
export async function readClassIds(file: string, problems: ProblemLog): Promise<Record<number, string> | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    problems.error(file, `cannot read class map: ${errorMessage(err)}; masks of this object are read as binary`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    problems.error(file, `malformed class map (invalid JSON: ${errorMessage(err)}); masks of this object are read as binary`);
    return undefined;
  }
  const parsed = parseClassIds(json);
  if (typeof parsed === 'string') {
    problems.error(file, `malformed class map (${parsed}); masks of this object are read as binary`);
    return undefined;
  }
  return Object.keys(parsed).length > 0 ? parsed : undefined;
}

/** The class map beside an object's folders: its `class_ids.json`, else MVTec LOCO AD's `defects_config.json`. */
export async function readObjectClassMap(dir: string, problems: ProblemLog): Promise<{ file: string; classNames: Record<number, string> } | undefined> {
  for (const [name, read] of [
    [CLASS_IDS_FILE, readClassIds],
    [DEFECTS_CONFIG_FILE, readDefectsConfig],
  ] as const) {
    const file = join(dir, name);
    if (!(await isFile(file))) continue;
    const classNames = await read(file, problems);
    return classNames ? { file, classNames } : undefined;
  }
  return undefined;
}
