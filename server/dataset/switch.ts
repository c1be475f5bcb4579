// The switch from one complete dataset to the next.  Every image and region mask a dataset
// refers to is written (under a content-addressed name) before the switch; the switch itself
// only replaces the few manifest files.  They are staged in the tool's folder, a COMMIT note
// listing them is written last (temp + rename), then each is renamed into place.  A process
// that dies during the renames leaves the COMMIT note behind, and whoever opens the dataset
// next finishes them (as SQLite replays a hot journal): the dataset is the old one until the
// note exists and the new one from then on.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { faultPoint } from '../util/faultPoint';
import { errorMessage, UserError } from '../util/errors';
import { pathExists } from '../util/pathKinds';
import { checkOwnFolders, stateFiles } from './stateDir';

export const COMMIT_NOTE = 'COMMIT';

export interface StagedFile {
  /** Name in the dataset root (no folders). */
  name: string;
  data: string;
}

/** Renames every staged file the note lists into the dataset root, in order, then drops the staging folder. */
async function finishSwitch(out: string, names: readonly string[]): Promise<void> {
  const { staging } = stateFiles(out);
  for (let i = 0; i < names.length; i++) {
    const from = join(staging, names[i]);
    try {
      await fs.rename(from, join(out, names[i]));
    } catch (err) {
      // Renamed already, by the process that died or by another reader finishing the switch.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    faultPoint(`switch:${i + 1}`);
  }
  await fs.rm(join(staging, COMMIT_NOTE), { force: true });
  await fs.rm(staging, { recursive: true, force: true });
}

async function readNote(out: string): Promise<string[] | undefined> {
  const note = join(stateFiles(out).staging, COMMIT_NOTE);
  let text: string;
  try {
    text = await fs.readFile(note, 'utf8');
  } catch {
    return undefined;
  }
  const names = JSON.parse(text) as unknown;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && /^[^/\\]+$/.test(n) && n !== '..')) {
    throw new UserError('the note of an interrupted dataset switch is damaged; rebuild the dataset', note);
  }
  return names as string[];
}

/**
 * Finishes a switch that a dead process left half done (see the top of this file).  Returns
 * true when there was one.  Staged files without a COMMIT note are left alone: they belong to
 * a build still staging, or to one that died before the switch (the next build removes them).
 */
export async function finishInterruptedSwitch(out: string): Promise<boolean> {
  checkOwnFolders(out);
  const names = await readNote(out);
  if (!names) return false;
  try {
    await finishSwitch(out, names);
  } catch (err) {
    throw new UserError(`an interrupted rebuild left the dataset mid-switch and it cannot be finished here: ${errorMessage(err)}`, out);
  }
  return true;
}

/** Stages the files, writes the COMMIT note, renames them into place.  The last file is the commit point for readers that ignore the note. */
export async function switchDataset(out: string, files: readonly StagedFile[]): Promise<void> {
  checkOwnFolders(out);
  const { staging } = stateFiles(out);
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true });
  for (const f of files) {
    const handle = await fs.open(join(staging, f.name), 'w');
    try {
      await handle.writeFile(f.data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  faultPoint('staged');
  const temp = join(staging, `.${COMMIT_NOTE}.${randomBytes(4).toString('hex')}`);
  await fs.writeFile(temp, JSON.stringify(files.map((f) => f.name)));
  await fs.rename(temp, join(staging, COMMIT_NOTE));
  faultPoint('committed');
  await finishSwitch(out, files.map((f) => f.name));
}

/** Removes what a build that died before its switch had staged (call with the build lock held). */
export async function dropAbandonedStaging(out: string): Promise<void> {
  const { staging } = stateFiles(out);
  if ((await pathExists(staging)) && !(await pathExists(join(staging, COMMIT_NOTE)))) await fs.rm(staging, { recursive: true, force: true });
}
