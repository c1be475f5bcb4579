// The child server's side of split-file diagnostics: one worker thread lints, one file at a time,
// so hovers and jobs are answered while a large file is checked.  The text comes with the request
// (an edited document), or the saved file is read by its path straight into shared memory for
// the worker (splitFileOnDisk.ts), so its bytes never pass through this thread.  A cancelled
// request that still waits its turn is dropped unstarted; one that runs is told through a shared
// flag and stops at its next chunk.  The worker's heap is limited: a file that needs more fails
// its own check with a clear error, the worker is replaced, and the server and its jobs go on.
import { UserError } from '../util/errors';
import { createTaskPool, findWorkerScript, type TaskPool } from '../dataset/workerPool';
import { FileFactsCache } from './fileFacts';
import { type LintSplitFileTask, lintSplitFile } from './lintSplitFile';
import { sharedUtf8 } from './splitFileBytes';
import { readSplitFileShared } from './splitFileOnDisk';
import type { LinkSpan, PackedSplitFileLint, SplitFileLint } from './types';

/** The lint worker's heap in MB: ANOMALY_LENS_LINT_MEMORY_MB, or 512. */
export function lintMemoryMb(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.ANOMALY_LENS_LINT_MEMORY_MB);
  return Number.isInteger(value) && value >= 8 ? value : 512;
}

function unpack(lint: PackedSplitFileLint): SplitFileLint {
  const links: LinkSpan[] = new Array(lint.links.length / 3);
  for (let i = 0; i < links.length; i++) links[i] = [lint.links[3 * i], lint.links[3 * i + 1], lint.links[3 * i + 2]];
  return { diagnostics: lint.diagnostics, more: lint.more, links, records: Array.from(lint.records) };
}

function outOfMemory(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

export class SplitFileLinter {
  private pool: TaskPool<LintSplitFileTask, PackedSplitFileLint> | undefined;
  private readonly inlineCache = new FileFactsCache();
  private turn: Promise<unknown> = Promise.resolve();
  private readonly memoryMb = lintMemoryMb();

  private tasks(): TaskPool<LintSplitFileTask, PackedSplitFileLint> {
    return (this.pool ??= createTaskPool({
      workers: 1,
      perWorker: 1,
      script: findWorkerScript(__dirname, 'lint-worker', 'lintWorker'),
      inline: (task) => lintSplitFile(task, this.inlineCache),
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, stackSizeMb: 4 },
    }));
  }

  /** Lints `text`, or the file on disk when no text is given. */
  lint(task: { file: string; text?: string; maxDiagnostics?: number }, signal?: AbortSignal): Promise<SplitFileLint> {
    const cancelled = () => new UserError(`checking ${task.file} was cancelled`);
    if (signal?.aborted) return Promise.reject(cancelled());
    const cancel = new SharedArrayBuffer(4);
    const run = this.turn.then(async () => {
      if (signal?.aborted) throw cancelled();
      const { text, ...rest } = task;
      const bytes = text !== undefined ? sharedUtf8(text) : await readSplitFileShared(task.file);
      if (signal?.aborted) throw cancelled();
      return this.tasks()
        .run({ ...rest, bytes, cancel })
        .then(unpack, (err: unknown) => {
          if (!outOfMemory(err)) throw err;
          throw new UserError(`checking this file needs more than the ${this.memoryMb} MB of memory it may use (ANOMALY_LENS_LINT_MEMORY_MB), so it was stopped`, task.file);
        });
    });
    this.turn = run.catch(() => undefined);
    return new Promise<SplitFileLint>((resolve, reject) => {
      const onAbort = () => {
        Atomics.store(new Int32Array(cancel), 0, 1);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      run.then(resolve, reject).finally(() => signal?.removeEventListener('abort', onAbort));
    });
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}
