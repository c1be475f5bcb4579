// The region files `split --out` writes: region-000.png, region-001.png, … in one folder.
// Two promises: no input is ever written over (a region file that is the input mask, by
// path, link or hard link, stops the run before anything is written), and only files this
// command wrote are ever removed.  The names written are kept in a marker file in the folder;
// a later run into the same folder removes the region files the marker lists and it does not
// write again (an earlier split into more regions), and leaves every other file alone.
import { promises as fs, type Stats } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';
import { UserError, errorMessage } from '../util/errors';
import { writeRegionPng } from './write';

export const SPLIT_MARKER = '.anomaly-lens-split.json';
const REGION_FILE = /^region-\d+\.png$/;

export function regionFileNames(count: number): string[] {
  const digits = Math.max(3, String(Math.max(0, count - 1)).length);
  return Array.from({ length: count }, (_, k) => `region-${String(k).padStart(digits, '0')}.png`);
}

async function lstatOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(file);
  } catch {
    return undefined;
  }
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** Region file names an earlier run recorded in the folder's marker (none when absent or unreadable). */
async function earlierNames(dir: string): Promise<string[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(join(dir, SPLIT_MARKER), 'utf8'));
  } catch {
    return [];
  }
  const files = (parsed as { files?: unknown }).files;
  return Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string' && REGION_FILE.test(f)) : [];
}

export interface WrittenRegions {
  files: string[];
  /** Region files found in the folder that this command did not write and left in place. */
  warnings: string[];
}

/** Writes one PNG per region into dir; `inputs` are the files read, never written over or removed. */
export async function writeRegionFiles(dir: string, inputs: readonly string[], width: number, height: number, regions: readonly { pixels: Uint32Array }[]): Promise<WrittenRegions> {
  const names = regionFileNames(regions.length);
  const written = new Set(names);
  const earlier = (await earlierNames(dir)).filter((name) => !written.has(name));
  const inputStats = await Promise.all(inputs.map((file) => fs.stat(file)));
  for (const name of [...names, SPLIT_MARKER, ...earlier]) {
    const existing = await lstatOrUndefined(join(dir, name));
    const input = existing && inputs.find((_, i) => sameFile(existing, inputStats[i]));
    if (input !== undefined) {
      const what = written.has(name) || name === SPLIT_MARKER ? 'write over' : 'remove';
      throw new UserError(`--out ${dir} would ${what} the input mask ${input} (it is ${join(dir, name)}); choose another folder`, input);
    }
  }
  try {
    await fs.mkdir(dir, { recursive: true });
    for (let k = 0; k < regions.length; k++) await writeRegionPng(join(dir, names[k]), width, height, regions[k].pixels);
    for (const name of earlier) await fs.rm(join(dir, name), { force: true });
    await writeFileAtomic(join(dir, SPLIT_MARKER), `${JSON.stringify({ writtenBy: 'anomaly-lens split', files: names })}\n`);
  } catch (err) {
    throw new UserError(`cannot write the region files: ${errorMessage(err)}`, dir);
  }
  const left = (await fs.readdir(dir)).filter((name) => REGION_FILE.test(name) && !written.has(name)).sort();
  const warnings = left.length > 0 ? [`${dir}: ${left.length} region file(s) not written by this split left in place: ${left.slice(0, 5).join(', ')}${left.length > 5 ? ', …' : ''}`] : [];
  return { files: names, warnings };
}
