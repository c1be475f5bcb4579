// The server runs as the leader of its own process group (POSIX), so that ending it also ends
// what it started: build worker threads live inside it, the Python trainer (and torchrun's
// workers) in its group.
import { spawn } from 'node:child_process';

/** Spawn options that make the child lead a process group where the platform has them. */
export function groupSpawnOptions(): { detached: boolean; windowsHide: boolean } {
  return { detached: process.platform !== 'win32', windowsHide: true };
}

/** Signals the child's whole process tree; a tree that is already gone is no error. */
export function killProcessTree(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
