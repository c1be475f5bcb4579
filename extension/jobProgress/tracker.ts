// The job list as the extension sees it: the server's (anomalyLens/jobs, then every
// anomalyLens/jobChanged), plus the jobs this extension started, known from their first moment.
// Starts jobs (every long request gets a job id and a progress token), cancels them, and passes
// on the train events of this window's jobs. No `vscode` import: its events have VS Code's Event
// shape, and tests drive it against the real server.
import type { CancellationToken, NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import type { ProgressParams, TrainEventParams } from '../../server/rpc/protocol';
import { ProgressNotification, TrainEventNotification } from '../../server/rpc/protocol';
import { CancelJobRequest, JobChangedNotification, JobsRequest, type JobInfo, type JobKind, type TrainEvent } from '../client/methods';
import type { RequestOptions } from '../client/client';

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => unknown, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

export class Emitter<T> {
  private readonly listeners = new Set<(e: T) => unknown>();

  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound = thisArgs ? listener.bind(thisArgs) : listener;
    this.listeners.add(bound);
    const d = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(d);
    return d;
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // one listener's failure does not keep the others from the event
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}

/** What the tracker needs of the server client (ServerClient fits). */
export interface JobClient {
  request<R>(type: RequestType0<R, unknown>, params?: undefined, options?: RequestOptions): Promise<R>;
  request<P, R>(type: RequestType<P, R, unknown>, params: P, options?: RequestOptions): Promise<R>;
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Disposable;
  newProgressToken(): string;
}

export interface StartedJob<R> {
  id: string;
  token: string;
  result: Promise<R>;
}

const ACTIVE: ReadonlySet<JobInfo['state']> = new Set(['queued', 'running']);

export function isActive(job: JobInfo): boolean {
  return ACTIVE.has(job.state);
}

let counter = 0;
export function newJobId(now: Date = new Date()): string {
  counter += 1;
  return `job-${now.getTime()}-${process.pid}-${counter}`;
}

export class JobTracker implements Disposable {
  private readonly jobs = new Map<string, JobInfo>();
  private readonly tokens = new Map<string, string>();
  private readonly cancellers = new Map<string, CancellationTokenSource>();
  private readonly changed = new Emitter<JobInfo>();
  private readonly trainEvents = new Emitter<{ jobId: string; event: TrainEvent }>();
  private readonly progress = new Emitter<{ jobId: string; progress: ProgressParams }>();
  private readonly subscriptions: Disposable[] = [];

  readonly onDidChangeJob = this.changed.event;
  readonly onTrainEvent = this.trainEvents.event;
  readonly onProgress = this.progress.event;

  constructor(private readonly client: JobClient) {
    this.subscriptions.push(
      client.onNotification(JobChangedNotification, (job) => this.update(job)),
      client.onNotification(TrainEventNotification, (p) => this.trainEvent(p)),
      client.onNotification(ProgressNotification, (p) => {
        const jobId = this.tokens.get(p.token);
        if (!jobId) return;
        this.progress.fire({ jobId, progress: p });
        const job = this.jobs.get(jobId);
        if (job && isActive(job)) this.update({ ...job, state: 'running', progress: { done: p.done, total: p.total, message: p.message } });
      }),
    );
  }

  /** Asks the server for its job list (a server without one answers nothing) and merges it. */
  async refresh(): Promise<JobInfo[]> {
    try {
      const listed = await this.client.request(JobsRequest, undefined, { timeoutMs: 10_000 });
      for (const job of listed) this.update(job);
    } catch {
      // an older server, or none: the jobs started here are still known
    }
    return this.list();
  }

  /** Every known job, newest first. */
  async list(): Promise<JobInfo[]> {
    return this.snapshot();
  }

  snapshot(): JobInfo[] {
    return [...this.jobs.values()].sort((a, b) => b.queuedAt.localeCompare(a.queuedAt));
  }

  get(id: string): JobInfo | undefined {
    return this.jobs.get(id);
  }

  active(): JobInfo[] {
    return this.snapshot().filter(isActive);
  }

  /**
   * Sends a long request as a job: it gets `jobId` and `progressToken`, no time limit, and is
   * known (queued) before the server answers anything.
   */
  start<P extends object, R>(
    type: RequestType<P, R, unknown>,
    params: P,
    job: { kind: JobKind; title: string; output?: string; gpu?: boolean },
  ): StartedJob<R> {
    const id = newJobId();
    const token = this.client.newProgressToken();
    this.tokens.set(token, id);
    const canceller = new CancellationTokenSource();
    this.cancellers.set(id, canceller);
    this.update({ id, kind: job.kind, title: job.title, state: 'queued', gpu: job.gpu ?? false, queuedAt: new Date().toISOString(), output: job.output });
    const result = this.client
      .request(type, { ...params, jobId: id, progressToken: token }, { timeoutMs: 0, token: canceller.token as CancellationToken })
      .then(
        (value) => {
          const known = this.jobs.get(id);
          if (known && isActive(known)) this.update({ ...known, state: cancelledResult(value) ? 'cancelled' : 'finished', endedAt: new Date().toISOString(), result: value });
          return value;
        },
        (err: Error & { kind?: string; file?: string }) => {
          const known = this.jobs.get(id);
          if (known && isActive(known)) {
            const cancelled = err.kind === 'cancelled';
            this.update({
              ...known,
              state: cancelled ? 'cancelled' : 'failed',
              endedAt: new Date().toISOString(),
              ...(cancelled ? {} : { error: { message: err.message, file: err.file, kind: err.kind === 'user' ? 'user' : 'internal' } }),
            });
          }
          throw err;
        },
      )
      .finally(() => {
        this.cancellers.delete(id);
        canceller.dispose();
      });
    return { id, token, result };
  }

  /**
   * Runs `start` (a command that may ask its questions, then runs a job to its end) and resolves as
   * soon as a new job that `match` accepts is queued or running, with that job; with undefined
   * when `start` ends without one. Rejects when `start` fails first.
   */
  untilStarted(match: (job: JobInfo) => boolean, start: () => Promise<unknown>): Promise<JobInfo | undefined> {
    return new Promise((resolve, reject) => {
      const known = new Set(this.jobs.keys());
      const subscription = this.changed.event((job) => {
        if (known.has(job.id) || !isActive(job) || !match(job)) return;
        subscription.dispose();
        resolve(job);
      });
      start().then(
        () => {
          subscription.dispose();
          resolve(undefined);
        },
        (err: unknown) => {
          subscription.dispose();
          reject(err);
        },
      );
    });
  }

  /** Asks the server to cancel the job; the request itself is cancelled too where the server lacks cancelJob. */
  async cancel(id: string): Promise<void> {
    let cancelled = false;
    try {
      cancelled = (await this.client.request(CancelJobRequest, { id }, { timeoutMs: 10_000 })).cancelled;
    } catch {
      cancelled = false;
    }
    if (!cancelled) this.cancellers.get(id)?.cancel();
  }

  private trainEvent(p: TrainEventParams): void {
    // Only this window's requests carry its tokens; a job started elsewhere shows its lastEvent through jobChanged.
    const jobId = this.tokens.get(p.token);
    if (!jobId) return;
    const job = this.jobs.get(jobId);
    if (job && (p.event.type === 'step' || p.event.type === 'eval')) this.update({ ...job, state: isActive(job) ? 'running' : job.state, lastEvent: p.event });
    this.trainEvents.fire({ jobId, event: p.event });
  }

  private update(job: JobInfo): void {
    const known = this.jobs.get(job.id);
    // A late local guess never overwrites the server's word that the job ended.
    if (known && !isActive(known) && isActive(job)) return;
    const merged: JobInfo = { ...known, ...job, output: job.output ?? known?.output, lastEvent: job.lastEvent ?? known?.lastEvent };
    this.jobs.set(job.id, merged);
    this.changed.fire(merged);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const c of this.cancellers.values()) c.dispose();
    this.changed.dispose();
    this.trainEvents.dispose();
    this.progress.dispose();
  }
}

/** buildDataset and train answer a cancellation with a result that says so. */
function cancelledResult(value: unknown): boolean {
  const v = value as { cancelled?: unknown; kind?: unknown } | null;
  return typeof v === 'object' && v !== null && (v.cancelled === true || v.kind === 'stopped');
}
