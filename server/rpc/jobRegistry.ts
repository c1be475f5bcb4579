// The server's jobs: every long request runs as one. The list is told to the client on every
// change (progress at most 4 times a second) and kept in the state folder, written atomically
// on every state change, so a server that starts after one was killed reports that one's jobs
// failed. GPU jobs run one at a time in the order they came; the others start at once.
import { readFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { UserError, errorMessage } from '../util/errors';
import { writeFileAtomicSync } from '../util/atomicWrite';
import type { TrainEvent } from '../jobs/trainProgressTypes';
import { isAbortError } from './errors';
import { JOB_INTERRUPTED_MESSAGE, type JobInfo, type JobKind, type JobState } from './protocol';

export const STATE_DIR_ENV = 'ANOMALY_LENS_STATE_DIR';
export const JOBS_FILE = 'jobs.json';
/** Ended jobs kept in the list. */
const KEEP_ENDED = 50;
const PROGRESS_INTERVAL_MS = 250;

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env[STATE_DIR_ENV]) return env[STATE_DIR_ENV] as string;
  let user: string;
  try {
    user = String(userInfo().uid >= 0 ? userInfo().uid : userInfo().username);
  } catch {
    user = 'user';
  }
  return join(tmpdir(), `anomaly-lens-${user}`);
}

export interface JobSpec {
  id?: string;
  kind: JobKind;
  title: string;
  gpu: boolean;
  output?: string;
}

/** What a job's work gets: its cancellation, and ways to report progress and train events. */
export interface JobContext {
  id: string;
  signal: AbortSignal;
  progress(update: { done: number; total: number; message?: string }): void;
  trainEvent(event: TrainEvent): void;
}

interface LiveJob {
  info: JobInfo;
  controller: AbortController;
  progressTimer?: NodeJS.Timeout;
}

const ENDED: readonly JobState[] = ['finished', 'failed', 'cancelled'];
const EVENTS_KEPT: ReadonlySet<TrainEvent['type']> = new Set(['start', 'step', 'eval', 'stopped', 'done']);

export class JobRegistry {
  private readonly jobs = new Map<string, LiveJob>();
  private gpuTail: Promise<void> = Promise.resolve();
  private counter = 0;

  constructor(
    private readonly stateDir: string,
    private readonly notify: (job: JobInfo) => void,
    private readonly log: (message: string) => void = () => {},
  ) {
    this.restore();
  }

  private get file(): string {
    return join(this.stateDir, JOBS_FILE);
  }

  /** Reads the list the previous server left; its queued and running jobs did not end: they failed. */
  private restore(): void {
    let saved: JobInfo[] = [];
    try {
      const value = JSON.parse(readFileSync(this.file, 'utf8')) as { jobs?: JobInfo[] };
      if (Array.isArray(value.jobs)) saved = value.jobs;
    } catch {
      return;
    }
    const now = new Date().toISOString();
    for (const info of saved) {
      if (!info || typeof info.id !== 'string') continue;
      if (!ENDED.includes(info.state)) {
        info.state = 'failed';
        info.endedAt = now;
        info.error = { message: JOB_INTERRUPTED_MESSAGE, kind: 'internal' };
      }
      this.jobs.set(info.id, { info, controller: new AbortController() });
    }
    this.persist();
  }

  private persist(): void {
    try {
      writeFileAtomicSync(this.file, `${JSON.stringify({ version: 1, jobs: this.list() }, null, 1)}\n`);
    } catch (err) {
      this.log(`cannot save the job list in ${this.file}: ${errorMessage(err)}`);
    }
  }

  private prune(): void {
    const ended = [...this.jobs.values()].filter((j) => ENDED.includes(j.info.state));
    for (const job of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) this.jobs.delete(job.info.id);
  }

  /** Every job, oldest first. */
  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info }));
  }

  get(id: string): JobInfo | undefined {
    const job = this.jobs.get(id);
    return job ? { ...job.info } : undefined;
  }

  private changed(job: LiveJob, save: boolean): void {
    if (job.progressTimer) {
      clearTimeout(job.progressTimer);
      job.progressTimer = undefined;
    }
    if (save) {
      this.prune();
      this.persist();
    }
    this.notify({ ...job.info });
  }

  /** A change of progress or of the last event: told at most every PROGRESS_INTERVAL_MS. */
  private changedSoon(job: LiveJob): void {
    job.progressTimer ??= setTimeout(() => {
      job.progressTimer = undefined;
      this.notify({ ...job.info });
    }, PROGRESS_INTERVAL_MS);
  }

  /** Asks a queued or running job to stop; false when it is unknown or has ended. */
  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job || ENDED.includes(job.info.state)) return false;
    job.controller.abort();
    return true;
  }

  /** Cancels every job that has not ended. */
  cancelAll(): void {
    for (const job of this.jobs.values()) if (!ENDED.includes(job.info.state)) job.controller.abort();
  }

  /**
   * Runs `work` as a job and answers its result. `requestSignal` (the request's cancellation)
   * cancels it too. `cancelled(result)` tells a result that means the job stopped early.
   */
  async run<R>(spec: JobSpec, requestSignal: AbortSignal, work: (context: JobContext) => Promise<R>, cancelled: (result: R) => boolean = () => false): Promise<R> {
    const id = spec.id ?? `job-${Date.now()}-${++this.counter}`;
    const existing = this.jobs.get(id);
    if (existing && !ENDED.includes(existing.info.state)) throw new UserError(`a job with the id ${id} is already ${existing.info.state}`);
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    requestSignal.addEventListener('abort', onAbort, { once: true });
    if (requestSignal.aborted) controller.abort();
    const info: JobInfo = { id, kind: spec.kind, title: spec.title, state: 'queued', gpu: spec.gpu, queuedAt: new Date().toISOString(), ...(spec.output ? { output: spec.output } : {}) };
    const job: LiveJob = { info, controller };
    this.jobs.delete(id);
    this.jobs.set(id, job);
    this.changed(job, true);
    const release = spec.gpu ? await this.waitForGpu(controller.signal) : () => {};
    try {
      if (controller.signal.aborted) {
        const err = new Error(`${spec.title} was cancelled before it started`);
        err.name = 'AbortError';
        throw err;
      }
      info.state = 'running';
      info.startedAt = new Date().toISOString();
      this.changed(job, true);
      const context: JobContext = {
        id,
        signal: controller.signal,
        progress: (update) => {
          info.progress = { done: update.done, total: update.total, ...(update.message ? { message: update.message } : {}) };
          this.changedSoon(job);
        },
        trainEvent: (event) => {
          if (!EVENTS_KEPT.has(event.type)) return;
          info.lastEvent = event;
          if (event.type === 'step' || event.type === 'prepare') this.changedSoon(job);
          else this.changed(job, false);
        },
      };
      const result = await work(context);
      info.state = cancelled(result) ? 'cancelled' : 'finished';
      info.result = result;
      return result;
    } catch (err) {
      if (isAbortError(err)) info.state = 'cancelled';
      else {
        info.state = 'failed';
        const user = err instanceof UserError;
        info.error = { message: errorMessage(err), kind: user ? 'user' : 'internal', ...(user && err.file ? { file: err.file } : {}) };
      }
      throw err;
    } finally {
      release();
      requestSignal.removeEventListener('abort', onAbort);
      info.endedAt = new Date().toISOString();
      this.changed(job, true);
    }
  }

  /** Waits for the GPU jobs before this one; answers the release of the GPU. A cancelled wait ends at once. */
  private async waitForGpu(signal: AbortSignal): Promise<() => void> {
    const previous = this.gpuTail;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.gpuTail = previous.then(() => mine);
    const aborted = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.race([previous, aborted]);
    return release;
  }
}
