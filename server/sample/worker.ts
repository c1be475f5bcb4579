// Worker-thread entry for the sample generator (bundled to dist/sample-worker.js).
import { parentPort } from 'node:worker_threads';
import { serveTasks } from '../dataset/workerPool';
import { writeSampleImage, type ImageTask } from './writeImage';

if (parentPort) serveTasks<ImageTask, void>(parentPort, writeSampleImage);
