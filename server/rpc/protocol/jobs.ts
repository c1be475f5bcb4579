// @pure: the child server's protocol (index.ts).
// The child server's protocol (see index.ts): progress and jobs. Every long request is a job; its
// progress and the trainer's events arrive as notifications.
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { JobKind } from '../../jobs/jobKind';
import type { TrainEvent } from '../../jobs/trainProgressTypes';

export type { JobKind, TrainEvent };

// Progress. A long request takes a `progressToken` chosen by the client; the server's
// notifications about that request carry it back.

export type ProgressToken = string;

export interface ProgressParams {
  token: ProgressToken;
  done: number;
  /** 0 while the amount of work is not known yet. */
  total: number;
  message?: string;
}

export const ProgressNotification = new NotificationType<ProgressParams>('anomalyLens/progress');

export interface TrainEventParams {
  token: ProgressToken;
  /** One line of the trainer's progress protocol (server/jobs/trainProgressTypes.ts), as it came. */
  event: TrainEvent;
}

export const TrainEventNotification = new NotificationType<TrainEventParams>('anomalyLens/trainEvent');

// ---------------------------------------------------------------------------------------------
// Jobs: every long request is a job. The server keeps the list (queued, running and the last 50
// ended), persists it in its state folder ($ANOMALY_LENS_STATE_DIR) and tells every change.
// GPU jobs (train; evaluate on cuda) run one at a time, the others beside them. A server that
// starts marks the jobs its predecessor left queued or running as failed.

export type JobState = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled';

export interface JobInfo {
  /** Unique, e.g. 'job-<time>-<n>', or the `jobId` the client chose. */
  id: string;
  kind: JobKind;
  /** For people: "Train tiny on datasets/sample-regions". */
  title: string;
  state: JobState;
  /** GPU jobs run one at a time; others beside them. */
  gpu: boolean;
  /** ISO times. */
  queuedAt: string;
  startedAt?: string;
  endedAt?: string;
  progress?: { done: number; total: number; message?: string };
  /** Folder the job writes: the dataset, run folder, report folder or bundle. */
  output?: string;
  /** The last train event (step/eval) of a training job, for the Runs view and the dashboard's reattach. */
  lastEvent?: TrainEvent;
  error?: { message: string; file?: string; kind: 'user' | 'internal' };
  /** Set when the job finished: the request's result. */
  result?: unknown;
}

/** The message of a job a stopped server left queued or running. */
export const JOB_INTERRUPTED_MESSAGE = 'the server stopped while the job ran';

/** Every job the server knows: queued, running, and the last 50 that ended, oldest first. */
export const JobsRequest = new RequestType0<JobInfo[], void>('anomalyLens/jobs');

/** Sent on every change of a job's state, and of its progress at most about 4 times a second. */
export const JobChangedNotification = new NotificationType<JobInfo>('anomalyLens/jobChanged');

export interface CancelJobParams {
  id: string;
}

/** Cancels a queued or running job; `cancelled` is false when it had already ended or is unknown. */
export const CancelJobRequest = new RequestType<CancelJobParams, { cancelled: boolean }, void>('anomalyLens/cancelJob');

/** Parameters every long request takes besides its own. */
export interface JobParams {
  /** Chosen by the client (unique); the server makes one when absent. */
  jobId?: string;
  progressToken?: ProgressToken;
}
