// Whether a process stopped itself at a pause point (ANOMALY_LENS_PAUSE_POINT, faultPoint.ts):
// its state in /proc/<pid>/stat is T.
import { readFileSync } from 'node:fs';

export function stopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^\d+ \(.*\) T /.test(stat);
  } catch {
    return false;
  }
}
