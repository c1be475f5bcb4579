// A fixed pool of worker threads running one task function; falls back to running the
// tasks in this thread when no worker script is available or zero workers are asked for.
import { existsSync } from 'node:fs';
import { type ResourceLimits, Worker } from 'node:worker_threads';

export interface TaskPool<T, R> {
  /** Number of worker threads (0 = this thread). */
  readonly size: number;
  run(task: T): Promise<R>;
  close(): Promise<void>;
}

/** How a worker thread is started: a script file, or a bootstrap evaluated as CommonJS. */
export type WorkerScript = { file: string } | { eval: string };

export interface WorkerRequest<T> {
  id: number;
  task: T;
}

export type WorkerReply<R> = { id: number; result: R } | { id: number; error: string };

interface Pending<R> {
  resolve(value: R): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  inFlight: Set<number>;
}

/**
 * Locates a worker entry: the bundled `<bundleName>.js` beside the running bundle, or the
 * TypeScript source beside this module when running from source (through tsx).
 */
export function findWorkerScript(dir: string, bundleName: string, sourceName: string): WorkerScript | undefined {
  const bundled = `${dir}/${bundleName}.js`;
  if (existsSync(bundled)) return { file: bundled };
  const source = `${dir}/${sourceName}.ts`;
  if (!existsSync(source)) return undefined;
  try {
    const loader = require.resolve('tsx/cjs');
    return { eval: `require(${JSON.stringify(loader)}); require(${JSON.stringify(source)});` };
  } catch {
    return undefined;
  }
}

class ThreadPool<T, R> implements TaskPool<T, R> {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending<R>>();
  private readonly queue: WorkerRequest<T>[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly script: WorkerScript,
    readonly size: number,
    private readonly perWorker: number,
    private readonly resourceLimits: ResourceLimits | undefined,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const options = { resourceLimits: this.resourceLimits };
    const worker = 'file' in this.script ? new Worker(this.script.file, options) : new Worker(this.script.eval, { ...options, eval: true });
    const slot: Slot = { worker, inFlight: new Set() };
    worker.on('message', (reply: WorkerReply<R>) => {
      slot.inFlight.delete(reply.id);
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('error' in reply) p?.reject(new Error(reply.error));
      else p?.resolve(reply.result);
      this.pump();
    });
    const fail = (err: Error) => {
      for (const id of slot.inFlight) {
        this.pending.get(id)?.reject(err);
        this.pending.delete(id);
      }
      slot.inFlight.clear();
      const index = this.slots.indexOf(slot);
      if (index >= 0 && !this.closed) {
        this.slots[index] = this.spawn();
        this.pump();
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`worker thread exited with code ${code}`));
    });
    return slot;
  }

  private pump(): void {
    for (const slot of this.slots) {
      while (slot.inFlight.size < this.perWorker && this.queue.length > 0) {
        const request = this.queue.shift() as WorkerRequest<T>;
        slot.inFlight.add(request.id);
        slot.worker.postMessage(request);
      }
    }
  }

  run(task: T): Promise<R> {
    if (this.closed) return Promise.reject(new Error('pool is closed'));
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, task });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

class InlinePool<T, R> implements TaskPool<T, R> {
  readonly size = 0;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly fn: (task: T) => Promise<R>,
    private readonly concurrency: number,
  ) {}

  async run(task: T): Promise<R> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await this.fn(task);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  async close(): Promise<void> {}
}

export interface PoolOptions<T, R> {
  workers: number;
  script: WorkerScript | undefined;
  /** The same function the worker runs, for the in-thread fallback. */
  inline: (task: T) => Promise<R>;
  /** Tasks in flight per worker (overlaps one task's I/O with another's computing). */
  perWorker?: number;
  /** Heap and stack limits of each worker: one that reaches them ends alone (its tasks fail) and is replaced. */
  resourceLimits?: ResourceLimits;
}

export function createTaskPool<T, R>(options: PoolOptions<T, R>): TaskPool<T, R> {
  const perWorker = options.perWorker ?? 2;
  if (options.workers <= 0 || !options.script) return new InlinePool(options.inline, perWorker);
  return new ThreadPool<T, R>(options.script, options.workers, perWorker, options.resourceLimits);
}

/** The worker-thread side: answers each request with `fn(task)`. */
export function serveTasks<T, R>(port: { on(event: 'message', cb: (m: WorkerRequest<T>) => void): void; postMessage(m: WorkerReply<R>): void }, fn: (task: T) => Promise<R>): void {
  port.on('message', ({ id, task }) => {
    fn(task).then(
      (result) => port.postMessage({ id, result }),
      (err: unknown) => port.postMessage({ id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}
