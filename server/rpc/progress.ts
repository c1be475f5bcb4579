// A Progress (a job's progress, as util/progress.ts declares it) that reports through notifications, at most
// one per interval except the first and the last.
import type { Progress } from '../util/progress';

export interface ProgressUpdate {
  done: number;
  total: number;
  message?: string;
}

export function notifyingProgress(send: (update: ProgressUpdate) => void, intervalMs = 100, now: () => number = Date.now): Progress {
  let done = 0;
  let total = 0;
  let label = '';
  let info = '';
  let sentAt = -Infinity;
  let sentDone = -1;
  const flush = () => {
    sentAt = now();
    sentDone = done;
    send({ done, total, message: info ? `${label}: ${info}` : label });
  };
  return {
    start(count, name) {
      done = 0;
      total = count;
      label = name;
      info = '';
      flush();
    },
    tick(n = 1, text = '') {
      done += n;
      info = text;
      if (done >= total || now() - sentAt >= intervalMs) flush();
    },
    stop() {
      if (sentDone !== done) flush();
    },
  };
}
