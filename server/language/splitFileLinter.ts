// The child server's side of split-file diagnostics: one worker thread lints, one file at a time,
// so hovers and jobs are answered while a large file is checked.  A cancelled request that still
// waits its turn is dropped unstarted; one that runs is told through a shared flag and stops at
// its next stage.
import { UserError } from '../util/errors';
import { createTaskPool, findWorkerScript, type TaskPool } from '../dataset/workerPool';
import { FileFactsCache } from './fileFacts';
import { type LintSplitFileTask, lintSplitFile } from './lintSplitFile';
import type { SplitFileLint } from './types';

export class SplitFileLinter {
  private pool: TaskPool<LintSplitFileTask, SplitFileLint> | undefined;
  private readonly inlineCache = new FileFactsCache();
  private turn: Promise<unknown> = Promise.resolve();

  private tasks(): TaskPool<LintSplitFileTask, SplitFileLint> {
    return (this.pool ??= createTaskPool({
      workers: 1,
      perWorker: 1,
      script: findWorkerScript(__dirname, 'lint-worker', 'lintWorker'),
      inline: (task) => lintSplitFile(task, this.inlineCache),
    }));
  }

  lint(task: Omit<LintSplitFileTask, 'cancel'>, signal?: AbortSignal): Promise<SplitFileLint> {
    const cancelled = () => new UserError(`checking ${task.file} was cancelled`);
    if (signal?.aborted) return Promise.reject(cancelled());
    const cancel = new SharedArrayBuffer(4);
    const run = this.turn.then(() => {
      if (signal?.aborted) throw cancelled();
      return this.tasks().run({ ...task, cancel });
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
