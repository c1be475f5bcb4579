// The run comparison's messages inside the webview envelope (webviews/protocol.ts): its requests
// with their replies, and the host's event. Types only.
import type { NoParams } from '../protocol';

/** One run's course and final facts, as the comparison draws and tabulates them. */
export interface ComparedRun {
  name: string;
  /** Training loss per step, and validation accuracy (0..1) per validation; x ascending. */
  curves: { step: number[]; loss: number[]; evalStep: number[]; valAccuracy: (number | null)[] };
  facts: {
    /** 'finished', 'stopped', 'interrupted', 'not started'. */
    status: string;
    bestValAccuracy: number | null;
    bestStep: number | null;
    finalLoss: number | null;
    /** The epoch of the last step, and the epochs the run was set to. */
    epoch: number | null;
    epochs: number | null;
    steps: number;
    totalSteps: number | null;
    /** Seconds the trainer worked on the run, its stops not counted. */
    seconds: number | null;
    base: string | null;
    /** null when every weight was tuned (no LoRA). */
    loraRank: number | null;
    tune: string | null;
    lr: number | null;
    batch: number | null;
    dataset: string | null;
  };
}

/** Host → webview. */
export type CompareEvent = { kind: 'runs'; runs: ComparedRun[] };

/** Webview → host: each request, what it carries and the host's reply. */
export interface CompareRequests {
  /** Asked on every load; the host answers by posting the `runs` event. */
  ready: { params: NoParams; reply: null };
  /** Opens the training dashboard of the run at this index of the last `runs` event. */
  openDashboard: { params: { run: number }; reply: null };
}

export const COMPARE_VIEW_TYPE = 'anomalyLens.runComparison';
