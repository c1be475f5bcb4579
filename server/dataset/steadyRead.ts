// Reading a dataset as one version, the old or the new, while a rebuild may switch it (see
// switch.ts): a switch a dead build left under way is finished first, under the build lock; one
// a live build is making is left to it and waited for; and a read during which the dataset
// changed (its COMMIT note came, or dataset.json was replaced) is done again.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors';
import { LockHeldError, describeHolder } from '../util/lock';
import { pathExists } from '../util/pathKinds';
import { withDatasetLock } from './commit';
import { MANIFEST_FILE } from './manifest';
import { COMMIT_NOTE } from './switch';
import { stateFiles } from './stateDir';

/** How long a reader waits for a dataset that keeps switching, or for a live build's switch to end. */
const WAIT_MS = 120_000;

function noteExists(dir: string): Promise<boolean> {
  return pathExists(join(stateFiles(dir).staging, COMMIT_NOTE));
}

/** Which version of the dataset is in place: a switch under way, and dataset.json's identity. */
async function switchState(dir: string): Promise<string> {
  const [note, manifest] = await Promise.all([
    noteExists(dir),
    fs.stat(join(dir, MANIFEST_FILE)).then((s) => `${s.ino}:${s.mtimeMs}:${s.size}`, () => 'none'),
  ]);
  return `${note}|${manifest}`;
}

/**
 * Finishes a switch a build left under way when no live build holds the dataset's lock (its
 * builder died): under that lock, so that no later build's staged files are ever taken for it.
 * Returns the live holder when one is still switching the dataset, else undefined.
 */
export async function settleSwitch(dir: string): Promise<string | undefined> {
  if (!(await noteExists(dir))) return undefined;
  try {
    await withDatasetLock(dir, 'anomaly-lens: finishing an interrupted dataset switch', async () => undefined);
  } catch (err) {
    if (err instanceof LockHeldError) return describeHolder(err.holder);
    throw err;
  }
  return undefined;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `read` of the dataset in `dir` as one version: done again whenever the dataset switched while
 * it ran (a failure of `read` during a switch is not reported).  A dataset still switching after
 * a while is a UserError naming the build.
 */
export async function readSteady<T>(dir: string, read: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    let holder = await settleSwitch(dir);
    if (!holder) {
      const before = await switchState(dir);
      if (!before.startsWith('true')) {
        let result: { value: T } | undefined;
        let failure: unknown;
        try {
          result = { value: await read() };
        } catch (err) {
          failure = err;
        }
        if ((await switchState(dir)) === before) {
          if (result) return result.value;
          throw failure;
        }
      }
      holder = 'a build';
    }
    if (Date.now() > deadline) {
      throw new UserError(`the dataset kept switching while it was read (${holder} is writing it); read it again when the build has finished`, dir);
    }
    await pause(Math.min(20 * attempt, 250));
  }
}
