// The evaluation report's messages inside the webview envelope (webviews/protocol.ts): its
// requests with their replies, and the host's event. Types only.
import type { ReportJson } from '../../server/eval/report/json';
import type { NoParams } from '../protocol';

export type { ReportJson };

/** A report and the folder it was read from. */
export interface LoadedReport {
  folder: string;
  report: ReportJson;
}

/** Host → webview. `compare` is the report the first is compared with (deltas: report − compare). */
export type ReportEvent = {
  kind: 'report';
  report: LoadedReport;
  compare?: LoadedReport;
  /** data: URIs of the gallery's images and region masks, by their path relative to the dataset root. */
  pictures: Record<string, string>;
};

/** Webview → host: each request, what it carries and the host's reply. */
export interface ReportRequests {
  /** Asked on every load; the host answers by posting the `report` event. */
  ready: { params: NoParams; reply: null };
  /** Opens a gallery image (a path relative to the report's dataset root) in the editor. */
  openImage: { params: { path: string }; reply: null };
  /** Asks the user for a report folder to compare with. */
  pickCompare: { params: NoParams; reply: null };
  stopCompare: { params: NoParams; reply: null };
}

/** What the webview keeps with vscode.setState, read by the panel serializer after a reload. */
export interface ReportState {
  folder: string;
  compareFolder?: string;
}

export const REPORT_VIEW_TYPE = 'anomalyLens.report';
