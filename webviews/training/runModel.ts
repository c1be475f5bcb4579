// The dashboard's model of one training run, folded from the trainer's events (pure, no DOM).
// Events may arrive twice (history from the host, then the same events live): a step or eval at
// or before the last one drawn is a repeat and is ignored; a resumed run's start cuts the curves
// back to the step it continues after.
import type { EvalEvent, StartEvent, StepEvent, TrainEvent } from '../../server/jobs/trainProgressTypes';
import type { JobInfo } from '../../server/rpc/protocol';

export type Phase = 'waiting' | 'preparing' | 'training' | 'stopped' | 'done' | 'failed';

export interface Curves {
  step: number[];
  loss: number[];
  lr: number[];
  samplesPerS: (number | null)[];
  evalStep: number[];
  valAccuracy: (number | null)[];
}

export interface RunModel {
  phase: Phase;
  curves: Curves;
  start?: StartEvent;
  lastStep?: StepEvent;
  lastEval?: EvalEvent;
  bestAccuracy: number | null;
  bestStep: number | null;
  prepare?: { split: string; done: number; total: number };
  /** Steps the run had made when it ended (done). */
  stepsDone?: number;
  /** The newest checkpoint written (a stopped run resumes from it). */
  checkpoint: string | null;
  messages: { level: 'warning' | 'error'; text: string }[];
  /** Every event kept, for the webview state (thinned by `keptEvents`). */
  events: TrainEvent[];
}

export function emptyRun(): RunModel {
  return {
    phase: 'waiting',
    curves: { step: [], loss: [], lr: [], samplesPerS: [], evalStep: [], valAccuracy: [] },
    // Listed so that resetting a run (Object.assign with this) clears them too.
    start: undefined,
    lastStep: undefined,
    lastEval: undefined,
    prepare: undefined,
    stepsDone: undefined,
    bestAccuracy: null,
    bestStep: null,
    checkpoint: null,
    messages: [],
    events: [],
  };
}

function cutAfter(curves: Curves, step: number): void {
  const keep = curves.step.findIndex((s) => s > step);
  if (keep >= 0) for (const key of ['step', 'loss', 'lr', 'samplesPerS'] as const) curves[key].length = keep;
  const keepEval = curves.evalStep.findIndex((s) => s > step);
  if (keepEval >= 0) for (const key of ['evalStep', 'valAccuracy'] as const) curves[key].length = keepEval;
}

/** Folds one event into the model (mutates and returns it). */
export function applyEvent(run: RunModel, event: TrainEvent): RunModel {
  const c = run.curves;
  switch (event.type) {
    case 'prepare':
      // A trainer reads the images before it starts: a resumed run's history ended stopped or failed.
      if (run.phase !== 'training') run.phase = 'preparing';
      run.prepare = { split: event.split, done: event.done, total: event.total };
      break;
    case 'start':
      if (event.resumed_from === null) {
        Object.assign(run, emptyRun());
      } else {
        cutAfter(c, event.resumed_from);
        if (run.bestStep !== null && run.bestStep > event.resumed_from) {
          // The best validation is of a course the run no longer follows: the best of those left.
          run.bestStep = null;
          run.bestAccuracy = null;
          c.valAccuracy.forEach((accuracy, i) => {
            if (accuracy !== null && (run.bestAccuracy === null || accuracy > run.bestAccuracy)) {
              run.bestAccuracy = accuracy;
              run.bestStep = c.evalStep[i];
            }
          });
        }
      }
      run.start = event;
      run.phase = 'training';
      run.prepare = undefined;
      break;
    case 'step': {
      const last = c.step[c.step.length - 1];
      if (last !== undefined && event.step <= last) return run;
      c.step.push(event.step);
      c.loss.push(event.loss);
      c.lr.push(event.lr);
      c.samplesPerS.push(event.samples_per_s);
      run.lastStep = event;
      if (run.phase !== 'done' && run.phase !== 'failed') run.phase = 'training';
      break;
    }
    case 'eval': {
      const last = c.evalStep[c.evalStep.length - 1];
      if (last !== undefined && event.step <= last) return run;
      c.evalStep.push(event.step);
      c.valAccuracy.push(event.val_accuracy);
      run.lastEval = event;
      if (event.val_accuracy !== null && (run.bestAccuracy === null || event.val_accuracy > run.bestAccuracy)) {
        run.bestAccuracy = event.val_accuracy;
        run.bestStep = event.step;
      }
      break;
    }
    case 'checkpoint':
      run.checkpoint = event.path;
      break;
    case 'warning':
      run.messages.push({ level: 'warning', text: event.file ? `${event.file}: ${event.message}` : event.message });
      break;
    case 'stopped':
      run.phase = 'stopped';
      if (event.checkpoint) run.checkpoint = event.checkpoint;
      break;
    case 'done':
      run.phase = 'done';
      if (typeof event.best_accuracy === 'number') run.bestAccuracy = event.best_accuracy;
      if (typeof event.best_step === 'number') run.bestStep = event.best_step;
      if (typeof event.steps === 'number') run.stepsDone = event.steps;
      break;
    case 'error':
      run.phase = 'failed';
      run.messages.push({ level: 'error', text: event.message });
      break;
  }
  run.events.push(event);
  return run;
}

/**
 * The phase shown: the job's word where it has the last one (queued, cancelled, failed), else the
 * trainer's. A run whose history ends mid-course with no job left to continue it (the trainer was
 * killed, the window or the machine went down) is interrupted; `complete` says the host has sent
 * everything it knows (the job, if any, comes before the history).
 */
export function phaseText(run: RunModel, job: JobInfo | undefined, complete: boolean): string {
  if (job && (job.state === 'queued' || job.state === 'cancelled' || job.state === 'failed')) return job.state;
  // The trainer reports done before its process (and the job, exporting the bundle) ends.
  if (job?.state === 'running' && run.phase === 'done') return 'finishing';
  const live = run.phase === 'training' || run.phase === 'preparing';
  if (live && job?.state === 'finished') return 'finished';
  if (live && !job && complete) return 'interrupted';
  return { waiting: 'waiting', preparing: 'preparing data', training: 'training', stopped: 'stopped', done: 'finished', failed: 'failed' }[run.phase];
}

export function runFromEvents(events: readonly TrainEvent[]): RunModel {
  const run = emptyRun();
  for (const event of events) applyEvent(run, event);
  return run;
}

/**
 * The run rebuilt from a host's full history, keeping the steps and evaluations drawn meanwhile
 * that the history does not reach yet (live events the host posted while it gathered it).
 */
export function replaceHistory(current: RunModel, history: readonly TrainEvent[]): RunModel {
  const run = runFromEvents(history);
  // Only within the same trainer process: a run started again from scratch draws anew.
  if (JSON.stringify(run.start) !== JSON.stringify(current.start)) return run;
  const last = run.curves.step[run.curves.step.length - 1] ?? 0;
  for (const event of current.events) if ((event.type === 'step' || event.type === 'eval') && event.step > last) applyEvent(run, event);
  return run;
}

/**
 * The events worth keeping in the webview state, at most about `limit`: every event but steps,
 * and the steps thinned evenly (always keeping the last), so that the curves keep their shape.
 */
export function keptEvents(events: readonly TrainEvent[], limit = 2000): TrainEvent[] {
  const steps = events.filter((e) => e.type === 'step').length;
  const others = events.filter((e) => e.type !== 'step' && e.type !== 'prepare').length;
  const room = Math.max(1, limit - others);
  if (steps <= room) return events.filter((e) => e.type !== 'prepare');
  const stride = Math.ceil(steps / room);
  let seen = 0;
  return events.filter((e) => {
    if (e.type === 'prepare') return false;
    if (e.type !== 'step') return true;
    seen++;
    return seen % stride === 0 || seen === steps;
  });
}

/** "1 h 02 min", "3 min 05 s", "42 s"; "—" when unknown. */
export function durationText(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m) return `${m} min ${String(r).padStart(2, '0')} s`;
  return `${r} s`;
}

/** The device as people name it: the GPU's name when the trainer reported one, "CPU" for cpu. */
export function deviceText(start: StartEvent | undefined): string {
  if (!start) return '—';
  const named = (start as StartEvent & { device_name?: unknown }).device_name;
  const base = start.device === 'cpu' ? 'CPU' : start.device;
  const name = typeof named === 'string' && named ? `${named} (${base})` : base;
  return start.world_size > 1 ? `${name} × ${start.world_size}` : name;
}

export interface Position {
  step: string;
  epoch: string;
  eta: string;
  speed: string;
  best: string;
}

export function positionText(run: RunModel): Position {
  const total = run.start?.steps.total;
  // Step lines are thinned to a few a second: evaluations and the end may be further on.
  const step = Math.max(run.lastStep?.step ?? 0, run.lastEval?.step ?? 0, run.start?.resumed_from ?? 0, run.stepsDone ?? 0);
  const epoch = run.lastStep?.epoch ?? run.lastEval?.epoch;
  const live = run.phase === 'training' || run.phase === 'preparing';
  const speed = run.lastStep?.samples_per_s;
  return {
    step: total ? `${step} / ${total}` : String(step),
    epoch: epoch !== undefined ? (run.start ? `${epoch} / ${run.start.epochs}` : String(epoch)) : '—',
    eta: live ? durationText(run.lastStep?.eta_s) : run.phase === 'done' ? 'finished' : '—',
    speed: typeof speed === 'number' ? `${speed.toFixed(1)} samples/s` : '—',
    best: run.bestAccuracy === null ? '—' : `${(run.bestAccuracy * 100).toFixed(2)} % (step ${run.bestStep})`,
  };
}
