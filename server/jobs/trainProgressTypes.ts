// The trainer's progress events (server/trainer/anomaly_lens/progress.py); snake_case field names
// are the wire format. Types only: the protocol shares them; parsing is in trainProgress.ts.

export interface PrepareEvent {
  type: 'prepare';
  split: string;
  done: number;
  total: number;
}

export interface StartEvent {
  type: 'start';
  version: number;
  run: string;
  device: string;
  world_size: number;
  /** 'off', 'float16' or 'bfloat16'. */
  amp: string;
  config: Record<string, unknown>;
  samples: { train: number; val: number };
  descriptions: number;
  steps: { total: number; per_epoch: number };
  epochs: number;
  /** The step a resumed run continues after; null for a new run. */
  resumed_from: number | null;
  trainable_parameters: number;
  cached: boolean;
}

export interface StepEvent {
  type: 'step';
  step: number;
  epoch: number;
  loss: number;
  lr: number;
  samples_per_s: number | null;
  eta_s: number | null;
}

export interface EvalEvent {
  type: 'eval';
  epoch: number;
  step: number;
  /** Region accuracy in [0, 1]: argmax over all descriptions (paper eq. 3). */
  val_accuracy: number | null;
  val_loss: number | null;
  samples: number;
  best: boolean;
}

export interface CheckpointEvent {
  type: 'checkpoint';
  path: string;
  step: number;
  epoch: number;
  best: boolean;
}

export interface WarningEvent {
  type: 'warning';
  message: string;
  file?: string;
}

export interface StoppedEvent {
  type: 'stopped';
  step: number;
  epoch: number;
  checkpoint: string | null;
  /** 'SIGTERM', 'SIGINT', or 'stop-at'. */
  signal: string;
}

export interface DoneEvent {
  type: 'done';
  paths: { run?: string; last?: string; best?: string; bundle?: string | null; checkpoint?: string };
  best_accuracy?: number | null;
  best_step?: number | null;
  best_epoch?: number | null;
  steps?: number;
  seconds?: number;
  [extra: string]: unknown;
}

export interface ErrorEvent {
  type: 'error';
  message: string;
  /** user: bad input (exit 2); internal: a trainer bug (exit 1); protocol: a line that is not the protocol. */
  kind: 'user' | 'internal' | 'protocol';
}

export type TrainEvent =
  | PrepareEvent
  | StartEvent
  | StepEvent
  | EvalEvent
  | CheckpointEvent
  | WarningEvent
  | StoppedEvent
  | DoneEvent
  | ErrorEvent;

export type TrainEventType = TrainEvent['type'];
