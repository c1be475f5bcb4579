// The training dashboard's JobSource over the extension's job tracker: the job list and its
// events, Cancel, Resume (answered once the resumed job has started, so that the dashboard can
// offer Cancel while it runs), and a run's history as its files on disk hold it. File reading
// and starting a training are handed in (VS Code's file system and the Train Model command), so
// that this module runs outside VS Code too.
import { join } from 'node:path';
import type { JobTracker } from '../jobProgress/tracker';
import type { TrainEvent } from '../../server/rpc/protocol';
import { HISTORY_FILE, parseHistory } from '../../server/jobs/trainHistory';
import type { JobSource } from './jobSource';
import { samePath } from './trainingHistory';

export interface TrainingIo {
  /** Starts training into the run folder, resuming it; resolves when that job ends (or was never started). */
  startTraining(runFolder: string): Promise<unknown>;
  /** A file's bytes; rejects when there is none. */
  readFile(path: string): Promise<Uint8Array>;
}

type BundleHistory = { provenance?: { metrics?: { history?: { epoch: number; step: number; val_accuracy: number | null; val_loss: number | null }[] } } };

/** The validations a run's bundle recorded, for a run trained before runs kept their history file. */
function bundleEvals(text: string): TrainEvent[] {
  const history = (JSON.parse(text) as BundleHistory).provenance?.metrics?.history ?? [];
  return history.map((h) => ({ type: 'eval', epoch: h.epoch, step: h.step, val_accuracy: h.val_accuracy, val_loss: h.val_loss, samples: 0, best: false }));
}

/**
 * What is on disk of a run's course: its history file; for a run trained before runs kept one,
 * the validations its bundle recorded (before whatever a later trainer wrote).
 */
export async function storedHistory(io: Pick<TrainingIo, 'readFile'>, runFolder: string): Promise<TrainEvent[]> {
  const read = async (...parts: string[]) => new TextDecoder().decode(await io.readFile(join(runFolder, ...parts)));
  const history = await read(HISTORY_FILE).then(parseHistory).catch(() => [] as TrainEvent[]);
  if (history.some((e) => e.type === 'step' || e.type === 'eval')) return history;
  const evals = await read('bundle', 'bundle.json').then(bundleEvals).catch(() => [] as TrainEvent[]);
  return [...evals, ...history];
}

export function trainingJobSource(tracker: JobTracker, io: TrainingIo): JobSource {
  return {
    list: () => tracker.list(),
    onDidChangeJob: tracker.onDidChangeJob,
    onTrainEvent: tracker.onTrainEvent,
    cancel: (id) => tracker.cancel(id),
    resume: async (runFolder) => {
      await tracker.untilStarted((job) => job.kind === 'train' && samePath(job.output, runFolder), () => io.startTraining(runFolder));
    },
    history: (runFolder) => storedHistory(io, runFolder),
  };
}
