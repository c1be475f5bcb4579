// Worker-thread entry for dataset building (bundled to dist/build-worker.js).
import { parentPort } from 'node:worker_threads';
import { processSample, type SampleOutcome, type SampleTask } from './processSample';
import { serveTasks } from './workerPool';

if (parentPort) serveTasks<SampleTask, SampleOutcome>(parentPort, processSample);
