// The training dashboard's messages inside the webview envelope (webviews/protocol.ts): its
// requests with their replies, and the host's events. Types only.
import type { JobInfo } from '../../server/rpc/protocol';
import type { TrainEvent } from '../../server/jobs/trainProgressTypes';
import type { NoParams } from '../protocol';

/** What a dashboard shows: a job (live or ended), a run folder, or both. */
export interface DashboardSubject {
  jobId?: string;
  runFolder?: string;
}

/** Host → webview. */
export type DashboardEvent =
  | { kind: 'subject'; subject: DashboardSubject; title: string }
  | { kind: 'job'; job: JobInfo }
  | { kind: 'trainEvent'; event: TrainEvent }
  /** Everything known of the run so far, oldest first; replaces what the webview drew. */
  | { kind: 'history'; events: TrainEvent[] };

/** Webview → host: each request, what it carries and the host's reply. */
export interface DashboardRequests {
  /** Sent on every load (first open, shown again, window reload); the host answers by replaying the run as events. */
  ready: { params: NoParams; reply: null };
  cancel: { params: NoParams; reply: null };
  resume: { params: NoParams; reply: null };
}

/** What the webview keeps with vscode.setState: the subject (read by the panel serializer) and its curves. */
export interface DashboardState {
  subject: DashboardSubject;
  title: string;
  /** The events drawn, thinned to a bound so that the state stays small. */
  events: TrainEvent[];
  job?: JobInfo;
}

export const DASHBOARD_VIEW_TYPE = 'anomalyLens.trainingDashboard';
