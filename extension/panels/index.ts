// The webview panels the commands open, and their serializers (restoring them after a reload).
import * as vscode from 'vscode';
import { DASHBOARD_VIEW_TYPE } from '../../webviews/training/messages';
import type { JobSource } from './jobSource';
import { dashboardSerializer } from './trainingDashboard';
import { recordEvent } from './trainingHistory';

export { openTrainingDashboard } from './trainingDashboard';
export type { JobSource } from './jobSource';

/** Call once on activation, before any panel opens. */
export function registerPanels(context: vscode.ExtensionContext, jobs: JobSource): void {
  context.subscriptions.push(
    jobs.onTrainEvent(({ jobId, event }) => recordEvent(jobId, event)),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, dashboardSerializer(context, jobs)),
  );
}
