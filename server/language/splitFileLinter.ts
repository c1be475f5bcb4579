// The child server's side of split-file diagnostics: one worker thread lints, one request at a
// time, so hovers and jobs are answered while a large file is checked.  A request cancelled
// while it waits is dropped unstarted.
import { UserError } from '../util/errors';
import { createTaskPool, findWorkerScript, type TaskPool } from '../dataset/workerPool';
import { FileFactsCache } from './fileFacts';
import { type LintSplitFileTask, lintSplitFile } from './lintSplitFile';
import type { SplitFileLint } from './types';

export class SplitFileLinter {
  private pool: TaskPool<LintSplitFileTask, SplitFileLint> | undefined;
  private readonly inlineCache = new FileFactsCache();

  private tasks(): TaskPool<LintSplitFileTask, SplitFileLint> {
    return (this.pool ??= createTaskPool({
      workers: 1,
      perWorker: 1,
      script: findWorkerScript(__dirname, 'lint-worker', 'lintWorker'),
      inline: (task) => lintSplitFile(task, this.inlineCache),
    }));
  }

  async lint(task: LintSplitFileTask, signal?: AbortSignal): Promise<SplitFileLint> {
    if (signal?.aborted) throw new UserError(`linting ${task.file} was cancelled`);
    return this.tasks().run(task);
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}
