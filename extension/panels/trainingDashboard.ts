// The training dashboard panel: one per job or run folder. It follows the job's events live,
// replays what is known when the webview (re)loads, follows a resumed run's new job, and is
// restored after a window reload by its serializer from the state the webview saved. A webview
// is not trusted with paths: a run folder from its state is used only inside the workspace (see
// panelRoots.ts), and Resume starts Python only on such a folder or a job's own.
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import type { JobInfo, TrainEvent } from '../../server/rpc/protocol';
import { DASHBOARD_VIEW_TYPE, type DashboardEvent, type DashboardRequests, type DashboardState, type DashboardSubject } from '../../webviews/training/messages';
import type { JobSource } from './jobSource';
import { loadPage, panelOptions, serveWebview } from './panelHost';
import { allowPanelFolder, allowedFolder } from './panelRoots';
import { mergeHistory, pickJob, runTitle, samePath, sessionEvents, subjectOf } from './trainingHistory';

const open = new Map<string, vscode.WebviewPanel>();

async function jobList(jobs: JobSource): Promise<JobInfo[]> {
  return jobs.list().catch(() => [] as JobInfo[]);
}

function subjectKey(subject: DashboardSubject): string {
  return subject.runFolder ? resolve(subject.runFolder) : `job:${subject.jobId}`;
}

function attach(context: vscode.ExtensionContext, jobs: JobSource, panel: vscode.WebviewPanel, initial: DashboardSubject): void {
  let subject = initial;
  let job: JobInfo | undefined;
  const key = subjectKey(subject);
  open.set(key, panel);
  const disposables: vscode.Disposable[] = [];
  const title = () => runTitle(subject, job);
  panel.title = title();
  loadPage(panel, context.extensionUri, 'training', panel.title);

  const post = serveWebview<DashboardRequests, DashboardEvent>(
    panel,
    {
      ready: async () => {
        await replay();
        return null;
      },
      cancel: async () => {
        if (!subject.jobId) throw new Error('This run has no job to cancel.');
        await jobs.cancel(subject.jobId);
        return null;
      },
      resume: async () => {
        if (!vscode.workspace.isTrusted) throw new Error('Resuming a run starts Python: trust this workspace first.');
        if (!subject.runFolder) throw new Error('This job has no run folder to resume.');
        const folder = subject.runFolder;
        const ofJob = (await jobList(jobs)).some((j) => j.kind === 'train' && samePath(j.output, folder));
        if (!ofJob && !allowedFolder(context, folder)) throw new Error(`${folder} lies outside the workspace folders: open the run from the Runs view to resume it.`);
        await jobs.resume(folder);
        return null;
      },
    },
    disposables,
  );

  async function replay(): Promise<void> {
    job = pickJob(await jobList(jobs), subject);
    if (job) subject = { jobId: job.id, runFolder: job.output ?? subject.runFolder };
    panel.title = title();
    post({ kind: 'subject', subject, title: title() });
    if (job) post({ kind: 'job', job });
    post({ kind: 'history', events: await knownEvents() });
  }

  /** The run's history on disk (every trainer process that worked on it), then what this window saw since. */
  async function knownEvents(): Promise<TrainEvent[]> {
    const stored = subject.runFolder ? await jobs.history(subject.runFolder).catch(() => [] as TrainEvent[]) : [];
    return mergeHistory(stored, subject.jobId ? sessionEvents(subject.jobId) : []);
  }

  disposables.push(
    jobs.onTrainEvent(({ jobId, event }) => {
      if (jobId === subject.jobId) post({ kind: 'trainEvent', event });
    }),
    jobs.onDidChangeJob((changed) => {
      const resumed = changed.kind === 'train' && changed.id !== subject.jobId && samePath(changed.output, subject.runFolder) && (changed.state === 'queued' || changed.state === 'running');
      if (changed.id !== subject.jobId && !resumed) return;
      if (resumed) {
        // Resuming starts a new job on the same run folder: the dashboard follows it.
        subject = { ...subject, jobId: changed.id };
        post({ kind: 'subject', subject, title: title() });
      }
      job = changed;
      panel.title = title();
      post({ kind: 'job', job: changed });
    }),
  );

  panel.onDidDispose(() => {
    if (open.get(key) === panel) open.delete(key);
    for (const d of disposables) d.dispose();
  });
}

export function openTrainingDashboard(context: vscode.ExtensionContext, jobs: JobSource, jobIdOrRunFolder: string): void {
  void (async () => {
    const subject = subjectOf(await jobList(jobs), jobIdOrRunFolder);
    if (subject.runFolder) allowPanelFolder(context, subject.runFolder);
    const existing = open.get(subjectKey(subject));
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Training', vscode.ViewColumn.Active, panelOptions(context.extensionUri));
    attach(context, jobs, panel, subject);
  })().catch((err) => void vscode.window.showErrorMessage(`Cannot open the training dashboard: ${(err as Error).message}`));
}

export function dashboardSerializer(context: vscode.ExtensionContext, jobs: JobSource): vscode.WebviewPanelSerializer<DashboardState> {
  return {
    async deserializeWebviewPanel(panel, state) {
      const saved = state?.subject as { jobId?: unknown; runFolder?: unknown } | undefined;
      const jobId = typeof saved?.jobId === 'string' && saved.jobId !== '' ? saved.jobId : undefined;
      const runFolder = allowedFolder(context, saved?.runFolder);
      // A job id only names a job of the server's own list, which knows the job's run folder.
      if (!runFolder && !jobId) {
        if (saved?.runFolder !== undefined) {
          void vscode.window.showWarningMessage(`Anomaly Lens: the training dashboard of ${String(saved.runFolder)} was not restored: the folder lies outside the workspace folders.`);
        }
        panel.dispose();
        return;
      }
      attach(context, jobs, panel, { ...(jobId ? { jobId } : {}), ...(runFolder ? { runFolder } : {}) });
    },
  };
}
