// Worker-thread entry that lints split files (bundled to dist/lint-worker.js); it keeps its
// cache of file facts between requests.
import { parentPort } from 'node:worker_threads';
import { serveTasks } from '../dataset/workerPool';
import { FileFactsCache } from './fileFacts';
import { type LintSplitFileTask, lintSplitFile } from './lintSplitFile';
import type { PackedSplitFileLint } from './types';

const cache = new FileFactsCache();
if (parentPort) serveTasks<LintSplitFileTask, PackedSplitFileLint>(parentPort, (task) => lintSplitFile(task, cache));
