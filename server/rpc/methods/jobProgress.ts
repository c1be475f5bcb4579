// A job's progress: the request's ProgressNotification (when it has a token) and the job's own,
// and a tick after cancellation ends the work (engine loops that take no signal stop there).
import type { Progress } from '../../util/progress';
import type { JobContext } from '../jobRegistry';
import { notifyingProgress } from '../progress';
import type { ProgressParams, TrainEventParams } from '../protocol';

export interface JobNotifications {
  progress(params: ProgressParams): void;
  event(params: TrainEventParams): void;
  /** The trainer's own log output. */
  log(text: string): void;
}

export function abortError(what = 'the job'): Error {
  const err = new Error(`${what} was cancelled`);
  err.name = 'AbortError';
  return err;
}

export function jobProgress(job: JobContext, token: string | undefined, notify: JobNotifications): Progress {
  const inner = notifyingProgress((update) => {
    job.progress(update);
    if (token) notify.progress({ token, ...update });
  });
  return {
    start: (total, label) => inner.start(total, label),
    tick: (n, info) => {
      if (job.signal.aborted) throw abortError();
      inner.tick(n, info);
    },
    stop: () => inner.stop(),
  };
}
