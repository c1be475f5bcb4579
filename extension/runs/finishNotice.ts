// What a finished training says: which run, its best validation accuracy, and what to do next. Pure.
import type { JobInfo, TrainResult } from '../../server/rpc/protocol';
import { percent } from '../models/model';

export const EVALUATE = 'Evaluate';
export const OPEN_DASHBOARD = 'Open Dashboard';
export const EXPORT = 'Export';

export interface FinishedTraining {
  run: string;
  /** The bundle the run exported (absent with --no-export). */
  bundle?: string;
  bestAccuracy?: number;
  bestEpoch?: number;
}

/** The run a training job trained to its end, from the job's result; undefined for any other job or end. */
export function finishedTraining(job: JobInfo): FinishedTraining | undefined {
  if (job.kind !== 'train' || job.state !== 'finished') return undefined;
  const result = job.result as TrainResult | undefined;
  if (result?.kind !== 'done') return undefined;
  const e = result.event;
  return {
    run: result.run,
    ...(typeof e.paths.bundle === 'string' ? { bundle: e.paths.bundle } : {}),
    ...(typeof e.best_accuracy === 'number' ? { bestAccuracy: e.best_accuracy } : {}),
    ...(typeof e.best_epoch === 'number' ? { bestEpoch: e.best_epoch } : {}),
  };
}

/** The message and its buttons: Evaluate needs the exported bundle, Export a best checkpoint (a validated run). */
export function finishNotice(done: FinishedTraining, shownRun: string, validated: boolean): { message: string; actions: string[] } {
  const best = done.bestAccuracy !== undefined ? `: best validation accuracy ${percent(done.bestAccuracy)}${done.bestEpoch !== undefined ? ` (epoch ${done.bestEpoch})` : ''}` : '';
  return {
    message: `Anomaly Lens: training of ${shownRun} finished${best}.`,
    actions: [...(done.bundle ? [EVALUATE] : []), OPEN_DASHBOARD, ...(validated ? [EXPORT] : [])],
  };
}
