// Every long job the same way: a cancellable progress notification with percentage and ETA,
// its course in the server's log channel, and a failure message with Open Log and Retry. A
// status-bar item counts the running jobs.
import * as vscode from 'vscode';
import type { RequestType } from 'vscode-jsonrpc';
import type { JobInfo, JobKind, TrainEvent } from '../client/methods';
import { EtaEstimator, IncrementTracker, progressText, type ProgressView } from './progressMath';
import { isActive, type JobTracker } from './tracker';

export type JobOutcome<R> =
  | { jobId: string; state: 'finished'; result: R }
  | { jobId: string; state: 'cancelled'; result?: R }
  | { jobId: string; state: 'failed'; error: string; file?: string };

export interface JobSpec {
  kind: JobKind;
  title: string;
  output?: string;
  gpu?: boolean;
}

export interface JobContext {
  tracker: JobTracker;
  channel: vscode.LogOutputChannel;
  /** Resolves once the server's environment (interpreter, key) is known. */
  ready: () => Promise<unknown>;
}

/** Step progress of a training job from its events: the start event's total, the step events' ETA. */
function trainView(event: TrainEvent, state: { total?: number }): { view: ProgressView; message?: string } | undefined {
  if (event.type === 'start') {
    state.total = event.steps.total;
    return { view: { percent: 0 }, message: `training on ${event.device}` };
  }
  if (event.type === 'prepare') return { view: {}, message: `reading ${event.split} images ${event.done}/${event.total}` };
  if (event.type === 'step' && state.total) {
    return { view: { percent: (100 * event.step) / state.total, etaSeconds: event.eta_s ?? undefined }, message: `epoch ${event.epoch} · loss ${event.loss.toFixed(3)}` };
  }
  if (event.type === 'eval' && event.val_accuracy !== null) return { view: {}, message: `epoch ${event.epoch}: val accuracy ${(100 * event.val_accuracy).toFixed(1)}%` };
  return undefined;
}

function isCancelledValue(value: unknown): boolean {
  const v = value as { cancelled?: unknown; kind?: unknown } | null;
  return typeof v === 'object' && v !== null && (v.cancelled === true || v.kind === 'stopped');
}

/**
 * Runs one request as a job under a progress notification. Resolves with how it ended; a failure
 * is shown with Open Log and Retry (`retry` runs the command again).
 */
export async function runJob<P extends object, R>(
  ctx: JobContext,
  type: RequestType<P, R, unknown>,
  params: P,
  spec: JobSpec,
  options: { retry?: () => unknown; onStarted?: (jobId: string) => void } = {},
): Promise<JobOutcome<R>> {
  const { tracker, channel } = ctx;
  await ctx.ready();
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Anomaly Lens: ${spec.title}`, cancellable: true },
    async (progress, token): Promise<JobOutcome<R>> => {
      const started = tracker.start(type, params, spec);
      const id = started.id;
      channel.info(`[${id}] ${spec.title}${spec.output ? ` → ${spec.output}` : ''}`);
      options.onStarted?.(id);
      const eta = new EtaEstimator();
      const increments = new IncrementTracker();
      let lastMessage: string | undefined;
      const report = (view: ProgressView, message?: string) => {
        const text = progressText(view, message);
        progress.report({ increment: increments.next(view.percent), message: text });
        if (message && message !== lastMessage) {
          lastMessage = message;
          channel.debug(`[${id}] ${message}`);
        }
      };
      const trainState: { total?: number } = {};
      const subscriptions = [
        tracker.onProgress(({ jobId, progress: p }) => {
          if (jobId === id) report(eta.update(p.done, p.total), p.message);
        }),
        tracker.onTrainEvent(({ jobId, event }) => {
          if (jobId !== id) return;
          if (event.type === 'warning') channel.warn(`[${id}] ${event.message}${event.file ? ` (${event.file})` : ''}`);
          const shown = trainView(event, trainState);
          if (shown) report(shown.view, shown.message);
        }),
        token.onCancellationRequested(() => {
          channel.info(`[${id}] cancel requested`);
          void tracker.cancel(id);
        }),
      ];
      try {
        const result = await started.result;
        if (token.isCancellationRequested || isCancelledValue(result)) {
          channel.info(`[${id}] cancelled`);
          return { jobId: id, state: 'cancelled', result };
        }
        channel.info(`[${id}] finished`);
        return { jobId: id, state: 'finished', result };
      } catch (err) {
        const e = err as Error & { kind?: string; file?: string };
        if (e.kind === 'cancelled') {
          channel.info(`[${id}] cancelled`);
          return { jobId: id, state: 'cancelled' };
        }
        channel.error(`[${id}] ${spec.title} failed: ${e.message}${e.file ? ` (${e.file})` : ''}`);
        return { jobId: id, state: 'failed', error: e.message, file: e.file };
      } finally {
        for (const s of subscriptions) s.dispose();
      }
    },
  );
  if (outcome.state === 'failed') showFailure(ctx, spec.title, outcome.error, outcome.file, options.retry);
  return outcome;
}

/** The failure, with Open Log, Open File (when the error names one) and Retry. Not awaited: the command returns at once. */
export function showFailure(ctx: JobContext, title: string, message: string, file?: string, retry?: () => unknown): void {
  const actions = ['Open Log', ...(file ? ['Open File'] : []), ...(retry ? ['Retry'] : [])];
  void vscode.window.showErrorMessage(`Anomaly Lens: ${title} failed: ${message}`, ...actions).then((answer) => {
    if (answer === 'Open Log') ctx.channel.show(true);
    else if (answer === 'Open File' && file) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
    else if (answer === 'Retry') void retry?.();
  });
}

/** "$(sync~spin) 2 jobs" while jobs run; a click opens the job list to cancel one. */
export class JobStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('anomalyLens.jobs', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: { dispose(): void };

  constructor(private readonly tracker: JobTracker) {
    this.item.name = 'Anomaly Lens Jobs';
    this.item.command = 'anomalyLens.cancelJob';
    this.subscription = tracker.onDidChangeJob(() => this.update());
    this.update();
  }

  /** The text shown, for tests. */
  get text(): string | undefined {
    return this.tracker.active().length ? this.item.text : undefined;
  }

  private update(): void {
    const active = this.tracker.active();
    if (active.length === 0) {
      this.item.hide();
      return;
    }
    const running = active.filter((j) => j.state === 'running').length;
    this.item.text = `$(sync~spin) ${active.length} Anomaly Lens job${active.length === 1 ? '' : 's'}`;
    this.item.tooltip = `${running} running, ${active.length - running} queued:\n${active.map((j: JobInfo) => `${j.title} (${j.state})`).join('\n')}\nClick to cancel one.`;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

export { isActive };
