// The Runs view: training run folders (run.json) and evaluation reports (report.json) in the
// workspace, merged with the job list of the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobTracker } from '../jobProgress/tracker';
import { FoundTreeProvider, treeItem } from '../views/treeProvider';
import { excludedFolders, exists, readText, workspaceName } from '../views/workspaceFiles';
import { mergeRuns, parseRun, presentRun, type DiskRun, type RunEntry } from './model';

const EXCLUDE = excludedFolders();

async function readTrainRun(runJson: vscode.Uri): Promise<DiskRun> {
  const folder = vscode.Uri.joinPath(runJson, '..');
  const bundleJson = vscode.Uri.joinPath(folder, 'bundle', 'bundle.json');
  const [text, last, best, bundleText] = await Promise.all([
    readText(runJson).catch(() => ''),
    exists(vscode.Uri.joinPath(folder, 'last.pt')),
    exists(vscode.Uri.joinPath(folder, 'best.pt')),
    readText(bundleJson).catch(() => undefined),
  ]);
  return parseRun(folder.fsPath, workspaceName(folder), text, {
    hasCheckpoint: last || best,
    hasBest: best,
    bundle: bundleText !== undefined ? path.dirname(bundleJson.fsPath) : undefined,
    bundleJson: bundleText,
  });
}

async function readReport(reportJson: vscode.Uri): Promise<DiskRun> {
  const folder = vscode.Uri.joinPath(reportJson, '..');
  let createdAt: string | undefined;
  try {
    const value = JSON.parse(await readText(reportJson)) as { createdAt?: unknown };
    if (typeof value.createdAt === 'string') createdAt = value.createdAt;
  } catch {
    createdAt = undefined;
  }
  return { kind: 'evaluate', folder: folder.fsPath, name: workspaceName(folder), createdAt, hasHtml: await exists(vscode.Uri.joinPath(folder, 'report.html')) };
}

export class RunTreeProvider extends FoundTreeProvider<RunEntry, DiskRun> {
  constructor(private readonly jobs: JobTracker) {
    super();
  }

  /** Redraws with the current job list (the folders as last read). */
  jobsChanged(): void {
    this.changed.fire(undefined);
  }

  async runs(): Promise<RunEntry[]> {
    return mergeRuns(await this.foundItems(), this.jobs.snapshot());
  }

  /** The run and report folders on disk. */
  protected async find(): Promise<DiskRun[]> {
    const [runs, reports] = await Promise.all([
      vscode.workspace.findFiles('**/run.json', EXCLUDE),
      vscode.workspace.findFiles('**/report.json', EXCLUDE),
    ]);
    return Promise.all([...runs.map(readTrainRun), ...reports.map(readReport)]);
  }

  getTreeItem(entry: RunEntry): vscode.TreeItem {
    const item = treeItem(presentRun(entry));
    if (entry.kind === 'train') item.command = { command: 'anomalyLens.openDashboard', title: 'Open Training Dashboard', arguments: [entry] };
    else if (entry.kind === 'evaluate' && entry.folder) item.command = { command: 'anomalyLens.openReport', title: 'Open Report', arguments: [entry] };
    return item;
  }

  async getChildren(entry?: RunEntry): Promise<RunEntry[]> {
    return entry ? [] : this.runs();
  }
}
