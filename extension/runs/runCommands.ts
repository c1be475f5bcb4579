// The Runs view's commands on training runs: Compare Runs (the selected runs, or runs picked),
// Export Best Checkpoint (offered for validated runs only), and the notice a finished training
// gives with what to do next (Evaluate, Open Dashboard, Export).
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { JobInfo } from '../client/methods';
import { isActive, type JobTracker } from '../jobProgress/tracker';
import { openRunComparison } from '../panels/runComparison';
import { samePath } from '../panels/trainingHistory';
import { EVALUATE, EXPORT, OPEN_DASHBOARD, finishNotice, finishedTraining } from './finishNotice';
import type { RunEntry } from './model';
import type { RunTreeProvider } from './provider';

function isTrainRun(entry: unknown): entry is RunEntry & { folder: string } {
  const e = entry as RunEntry | undefined;
  return e?.kind === 'train' && typeof e.folder === 'string';
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(path));
    return true;
  } catch {
    return false;
  }
}

async function runDataset(run: string): Promise<string | undefined> {
  try {
    const info = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(join(run, 'run.json'))))) as { config?: { dataset?: unknown } };
    return typeof info.config?.dataset === 'string' ? info.config.dataset : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compare Runs: from the Runs view VS Code passes the clicked run and every selected one; from the
 * palette (or with one run selected) the training runs are offered to pick from.
 */
export async function compareRuns(context: vscode.ExtensionContext, runs: RunTreeProvider, tracker: JobTracker, clicked?: unknown, selected?: unknown): Promise<string[] | undefined> {
  let chosen = (Array.isArray(selected) && selected.length ? selected : clicked ? [clicked] : []).filter(isTrainRun).map((e) => e.folder);
  if (chosen.length < 2) {
    const all = (await runs.runs()).filter(isTrainRun);
    const items = all.map((e) => ({ label: e.name, description: e.status, folder: e.folder, picked: chosen.some((f) => samePath(f, e.folder)) }));
    if (items.length < 2) {
      void vscode.window.showInformationMessage('Anomaly Lens: Compare Runs needs two training runs; the workspace has ' + (items.length ? 'one' : 'none') + '.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Anomaly Lens: Compare Runs — pick two or more training runs' });
    if (!picked) return undefined;
    if (picked.length < 2) {
      void vscode.window.showInformationMessage('Anomaly Lens: pick two or more runs to compare.');
      return undefined;
    }
    chosen = picked.map((p) => p.folder);
  }
  openRunComparison(context, chosen, {
    running: (folder) => tracker.active().some((j) => j.kind === 'train' && samePath(j.output, folder)),
    openDashboard: (folder) => void vscode.commands.executeCommand('anomalyLens.openDashboard', folder),
  });
  return chosen;
}

/** Export Best Checkpoint of a Runs view entry (the menu offers it only for a validated run). */
export function exportBest(entry: unknown): Thenable<unknown> | undefined {
  if (!isTrainRun(entry)) return undefined;
  return vscode.commands.executeCommand('anomalyLens.exportCheckpoint', { run: entry.folder, checkpoint: 'best' });
}

/** Says so when a training this window saw running finishes, with what to do next. */
export function notifyFinishedTrainings(tracker: JobTracker): vscode.Disposable {
  const active = new Set<string>();
  return tracker.onDidChangeJob((job: JobInfo) => {
    if (job.kind !== 'train') return;
    if (isActive(job)) {
      active.add(job.id);
      return;
    }
    if (!active.delete(job.id)) return;
    const done = finishedTraining(job);
    if (done) void offer(done.run, done);
  });

  async function offer(run: string, done: NonNullable<ReturnType<typeof finishedTraining>>): Promise<void> {
    const validated = await fileExists(join(run, 'best.pt'));
    const notice = finishNotice(done, vscode.workspace.asRelativePath(run), validated);
    const answer = await vscode.window.showInformationMessage(notice.message, ...notice.actions);
    if (answer === OPEN_DASHBOARD) await vscode.commands.executeCommand('anomalyLens.openDashboard', run);
    else if (answer === EXPORT) await vscode.commands.executeCommand('anomalyLens.exportCheckpoint', { run, checkpoint: 'best' });
    else if (answer === EVALUATE && done.bundle) {
      const dataset = await runDataset(run);
      await vscode.commands.executeCommand('anomalyLens.evaluate', dataset ? { dataset, bundle: done.bundle } : undefined);
    }
  }
}
