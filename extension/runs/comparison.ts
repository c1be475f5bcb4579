// A training run as the run comparison shows it: its curves and final facts, worked out from its
// history file (RUN/history.jsonl), its run.json and, for a run trained before runs kept their
// history, the metrics its bundle recorded. Pure.
import type { HistoryEvent } from '../../server/jobs/trainHistory';
import type { ComparedRun } from '../../webviews/compare/messages';
import { runFromEvents } from '../../webviews/training/runModel';

/** Points per curve and run at most: enough for the shape, small enough to post. */
const MAX_POINTS = 1000;

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function parsed(text: string | undefined): Json | undefined {
  try {
    return text === undefined ? undefined : obj(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** Seconds the trainer processes worked: from each start to the last event before the next one. */
export function trainingSeconds(events: readonly HistoryEvent[]): number | null {
  let total = 0;
  let from: number | undefined;
  let last: number | undefined;
  let any = false;
  for (const event of events) {
    const time = num(event.time);
    if (time === null) continue;
    if (event.type === 'start') {
      if (from !== undefined && last !== undefined) total += last - from;
      from = time;
    }
    last = time;
    any = true;
  }
  if (from !== undefined && last !== undefined) total += last - from;
  return any && from !== undefined ? total : null;
}

function thinned<T>(values: readonly T[], keep: readonly number[]): T[] {
  return keep.map((i) => values[i]);
}

/** Evenly spaced indices and the last, at most about MAX_POINTS, so that a long curve keeps its shape. */
function thinIndices(length: number): number[] {
  if (length <= MAX_POINTS) return Array.from({ length }, (_, i) => i);
  const stride = Math.ceil(length / MAX_POINTS);
  const out: number[] = [];
  for (let i = 0; i < length; i += stride) out.push(i);
  if (out[out.length - 1] !== length - 1) out.push(length - 1);
  return out;
}

export interface RunFiles {
  /** RUN/run.json's text. */
  runJson?: string;
  /** RUN/history.jsonl's events. */
  history: readonly HistoryEvent[];
  /** RUN/bundle/bundle.json's text, when the run exported one. */
  bundleJson?: string;
}

/**
 * The run comparison's view of one run; `shownPath` names a dataset folder for people; `running`:
 * a job trains the run now.
 */
export function comparedRun(name: string, files: RunFiles, shownPath: (path: string) => string = (p) => p, running = false): ComparedRun {
  const run = runFromEvents(files.history);
  const config = obj(parsed(files.runJson)?.config) ?? obj(run.start?.config) ?? {};
  const metrics = obj(obj(parsed(files.bundleJson)?.provenance)?.metrics);
  const c = run.curves;
  const keep = thinIndices(c.step.length);
  const ended = files.history.filter((e) => e.type === 'done' || e.type === 'stopped' || e.type === 'start').pop();
  const status = running ? 'running' : ended?.type === 'done' || (files.history.length === 0 && metrics) ? 'finished' : ended?.type === 'stopped' ? 'stopped' : ended ? 'interrupted' : 'not started';
  const lastStep = c.step[c.step.length - 1] ?? 0;
  const steps = Math.max(lastStep, run.lastEval?.step ?? 0, run.stepsDone ?? 0, num(metrics?.steps) ?? 0);
  const tune = str(config.tune);
  const dataset = str(config.dataset);
  return {
    name,
    curves: { step: thinned(c.step, keep), loss: thinned(c.loss, keep), evalStep: [...c.evalStep], valAccuracy: [...c.valAccuracy] },
    facts: {
      status,
      bestValAccuracy: run.bestAccuracy ?? num(metrics?.valAccuracy),
      bestStep: run.bestStep,
      finalLoss: c.loss.length ? c.loss[c.loss.length - 1] : null,
      epoch: run.lastStep?.epoch ?? run.lastEval?.epoch ?? num(metrics?.bestEpoch),
      epochs: num(config.epochs),
      steps,
      totalSteps: run.start?.steps.total ?? null,
      seconds: trainingSeconds(files.history),
      base: str(config.base),
      loraRank: tune === 'full' ? null : num(config.lora_r),
      tune,
      lr: num(config.lr),
      batch: num(config.batch),
      dataset: dataset === null ? null : shownPath(dataset),
    },
  };
}
