// An exclusive lock file, as git's `index.lock`: created with O_EXCL, it names its holder
// (pid, host, command, start) so that a refusal can say who holds it, and a lock whose holder
// died on this host is taken over with a warning instead of blocking forever.
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError, errorMessage } from './errors';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

/** The lock is held by a live process (named in the message). */
export class LockHeldError extends UserError {
  constructor(
    message: string,
    file: string,
    readonly holder: LockHolder,
  ) {
    super(message, file);
  }
}

export interface HeldLock {
  file: string;
  /** Set when an earlier holder had died and its lock was taken over. */
  tookOverFrom?: LockHolder;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && typeof v.host === 'string') {
      return { pid: v.pid, host: v.host, command: String(v.command ?? ''), since: String(v.since ?? '') };
    }
  } catch {
    // unreadable or half-written: judged below by its age
  }
  return undefined;
}

/** True when the holder is known to be gone: it ran on this host and its process no longer exists. */
export function isStale(holder: LockHolder): boolean {
  return holder.host === hostname() && holder.pid !== process.pid && !isAlive(holder.pid);
}

function tryCreate(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new UserError(`cannot create the lock file: ${errorMessage(err)}`, file);
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

export function describeHolder(h: LockHolder): string {
  return `${h.command || 'anomaly-lens'} (pid ${h.pid} on ${h.host}, since ${h.since})`;
}

/**
 * Takes the lock or throws a UserError naming its holder.  A lock left by a process that died
 * on this host is moved aside and taken over; one held on another host is never judged stale.
 */
export function acquireLock(file: string, command: string, what: string): HeldLock {
  mkdirSync(dirname(file), { recursive: true });
  const me: LockHolder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  let tookOverFrom: LockHolder | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file, me)) {
      let released = false;
      return {
        file,
        ...(tookOverFrom ? { tookOverFrom } : {}),
        release() {
          if (released) return;
          released = true;
          const now = readHolder(file);
          if (now && now.pid === me.pid && now.host === me.host && now.since === me.since) rmSync(file, { force: true });
        },
      };
    }
    const holder = readHolder(file);
    if (!holder) {
      // Created a moment ago and not yet written, or damaged: only a damaged one stays so.
      if (attempt < 2) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
        continue;
      }
      throw new UserError(`${what} is locked by a lock file that names no holder; if no anomaly-lens command is running on it, delete the file`, file);
    }
    if (!isStale(holder)) {
      throw new LockHeldError(`${what} is in use by ${describeHolder(holder)}; wait for it to finish (if it is not running any more, delete the lock file)`, file, holder);
    }
    // Moved aside rather than deleted: of two processes taking over at once, one rename wins.
    const aside = `${file}.stale-${randomBytes(4).toString('hex')}`;
    try {
      renameSync(file, aside);
      rmSync(aside, { force: true });
    } catch {
      // someone else moved it first
    }
    tookOverFrom = holder;
  }
  throw new UserError(`${what} is locked and the lock could not be taken`, file);
}
