// One export job (`anomaly-lens export`, anomalyLens/export): a run's checkpoint as a model bundle.
import { resolve } from 'node:path';
import { UserError } from '../util/errors';
import { checkOutputFolder } from '../util/outputPath';
import { findPython, type PythonInfo } from './findPython';
import { runTrainer } from './runner';
import type { DoneEvent, TrainEvent } from './trainProgressTypes';

export interface ExportInput {
  run: string;
  out: string;
  outLabel?: string;
  /** 'best' (default), 'last' or a checkpoint file. */
  checkpoint?: string;
  python?: string | PythonInfo;
}

export interface TrainerJobHooks {
  signal?: AbortSignal;
  onEvent?(event: TrainEvent): void;
  onLog?(text: string): void;
}

/** Writes the bundle; resolves with its folder and the trainer's final event. */
export async function exportRun(input: ExportInput, hooks: TrainerJobHooks = {}): Promise<{ bundle: string; event: DoneEvent }> {
  checkOutputFolder(input.out, input.outLabel);
  const python = typeof input.python === 'object' ? input.python : await findPython(input.python);
  const which = input.checkpoint ?? 'best';
  const checkpoint = ['best', 'last'].includes(which) ? which : resolve(which);
  const outcome = await runTrainer({
    python: python.executable,
    args: ['export', '--run', resolve(input.run), '--out', resolve(input.out), '--checkpoint', checkpoint],
    signal: hooks.signal,
    onEvent: hooks.onEvent,
    onStderr: hooks.onLog,
  });
  if (outcome.kind !== 'done') throw new UserError('the export was stopped before the bundle was written');
  return { bundle: String(outcome.event.paths.bundle ?? resolve(input.out)), event: outcome.event };
}
