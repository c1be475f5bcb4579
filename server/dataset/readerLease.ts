// Readers that use a dataset's files for a while (validate, eval, train) hold a lease: a file in
// the tool's folder naming them (pid, host, command, start), as a shared lock beside the build's
// exclusive one.  A rebuild that switches the dataset meanwhile keeps the previous dataset's
// files while a live reader holds a lease (the next build removes them), so no reader sees the
// files it is reading vanish.  Leases of readers that died on this host are removed.
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { type LockHolder, isStale } from '../util/lock';
import { checkOwnFolders, stateFiles } from './stateDir';

export interface ReaderLease {
  release(): void;
}

const NO_LEASE: ReaderLease = { release: () => undefined };

/**
 * Takes a reader's lease on the dataset in `dir`, best effort: a folder without the tool's own
 * folder (no build of this tool writes there; none is made for a lease), one where it is a link,
 * or one this process cannot write in gets none.
 */
export function takeReaderLease(dir: string, command: string): ReaderLease {
  const { dir: state, readers } = stateFiles(dir);
  try {
    if (!lstatSync(state).isDirectory()) return NO_LEASE;
    checkOwnFolders(dir);
    mkdirSync(readers, { recursive: true });
    const file = join(readers, `${process.pid}.${randomBytes(4).toString('hex')}.json`);
    const me: LockHolder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
    writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx' });
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      },
    };
  } catch {
    return NO_LEASE;
  }
}

/** Runs `fn` while holding a reader's lease on `dir`. */
export async function withReaderLease<T>(dir: string, command: string, fn: () => Promise<T>): Promise<T> {
  const lease = takeReaderLease(dir, command);
  try {
    return await fn();
  } finally {
    lease.release();
  }
}

/** The readers holding a lease on `dir` now; the leases of readers that died on this host are removed. */
export function liveReaders(dir: string): LockHolder[] {
  const { readers } = stateFiles(dir);
  let names: string[];
  try {
    names = readdirSync(readers);
  } catch {
    return [];
  }
  const live: LockHolder[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const file = join(readers, name);
    let holder: LockHolder;
    try {
      const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
      if (typeof v.pid !== 'number' || typeof v.host !== 'string') throw new Error('names no holder');
      holder = { pid: v.pid, host: v.host, command: String(v.command ?? ''), since: String(v.since ?? '') };
    } catch {
      // Half-written by a reader starting now, or damaged: counted as live (a prune waits for the next build).
      live.push({ pid: 0, host: '?', command: `the reader of ${name}`, since: '' });
      continue;
    }
    if (isStale(holder)) rmSync(file, { force: true });
    else live.push(holder);
  }
  return live;
}
