// The webview panels the commands open, and their serializers (restoring them after a reload).
import * as vscode from 'vscode';
import { REPORT_VIEW_TYPE } from '../../webviews/report/messages';
import { DASHBOARD_VIEW_TYPE } from '../../webviews/training/messages';
import type { JobSource } from './jobSource';
import { reportSerializer } from './reportPanel';
import { dashboardSerializer } from './trainingDashboard';
import { recordEvent } from './trainingHistory';

export { openReport } from './reportPanel';
export { openTrainingDashboard } from './trainingDashboard';
export type { JobSource } from './jobSource';

/**
 * Call once on activation, before any panel opens. The serializers are asked only if the
 * extension activates on onWebviewPanel:anomalyLens.trainingDashboard and onWebviewPanel:anomalyLens.report.
 */
export function registerPanels(context: vscode.ExtensionContext, jobs: JobSource): void {
  context.subscriptions.push(
    jobs.onTrainEvent(({ jobId, event }) => recordEvent(jobId, event)),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, dashboardSerializer(context, jobs)),
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, reportSerializer(context)),
  );
}
