// One training run per run folder at a time: a second `train` into the same folder (from the
// command line or the child server) is refused while the first holds the folder's lock.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { acquireLock, type HeldLock } from '../util/lock';

export const RUN_LOCK = '.anomaly-lens-train.lock';

export function lockRun(run: string, command: string): HeldLock {
  const folder = resolve(run);
  mkdirSync(folder, { recursive: true });
  return acquireLock(join(folder, RUN_LOCK), command, `the run folder ${folder}`);
}
