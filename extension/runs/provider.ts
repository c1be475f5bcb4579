// The Runs view: training run folders (run.json) and evaluation reports (report.json) in the
// workspace, merged with the job list of the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exists, readText } from '../datasetTree/provider';
import type { JobTracker } from '../jobProgress/tracker';
import { mergeRuns, parseRun, presentRun, type DiskRun, type RunEntry } from './model';

const EXCLUDE = '**/{node_modules,.git,.anomaly-lens}/**';

function relativeName(folder: vscode.Uri): string {
  const relative = vscode.workspace.asRelativePath(folder, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  return relative && relative !== folder.fsPath ? relative : path.basename(folder.fsPath);
}

async function readTrainRun(runJson: vscode.Uri): Promise<DiskRun> {
  const folder = vscode.Uri.joinPath(runJson, '..');
  const bundleJson = vscode.Uri.joinPath(folder, 'bundle', 'bundle.json');
  const [text, last, best, bundleText] = await Promise.all([
    readText(runJson).catch(() => ''),
    exists(vscode.Uri.joinPath(folder, 'last.pt')),
    exists(vscode.Uri.joinPath(folder, 'best.pt')),
    readText(bundleJson).catch(() => undefined),
  ]);
  return parseRun(folder.fsPath, relativeName(folder), text, {
    hasCheckpoint: last || best,
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
  return { kind: 'evaluate', folder: folder.fsPath, name: relativeName(folder), createdAt, hasHtml: await exists(vscode.Uri.joinPath(folder, 'report.html')) };
}

export class RunTreeProvider implements vscode.TreeDataProvider<RunEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunEntry | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private disk: Promise<DiskRun[]> | undefined;

  constructor(private readonly jobs: JobTracker) {}

  /** Reads the folders again. */
  async refresh(): Promise<number> {
    this.disk = undefined;
    this.changed.fire(undefined);
    return (await this.runs()).length;
  }

  /** Redraws with the current job list (the folders as last read). */
  jobsChanged(): void {
    this.changed.fire(undefined);
  }

  async runs(): Promise<RunEntry[]> {
    this.disk ??= this.readDisk();
    return mergeRuns(await this.disk, this.jobs.snapshot());
  }

  private async readDisk(): Promise<DiskRun[]> {
    const [runs, reports] = await Promise.all([
      vscode.workspace.findFiles('**/run.json', EXCLUDE),
      vscode.workspace.findFiles('**/report.json', EXCLUDE),
    ]);
    return Promise.all([...runs.map(readTrainRun), ...reports.map(readReport)]);
  }

  getTreeItem(entry: RunEntry): vscode.TreeItem {
    const p = presentRun(entry);
    const item = new vscode.TreeItem(p.label, vscode.TreeItemCollapsibleState.None);
    item.id = p.id;
    item.description = p.description;
    item.tooltip = p.tooltip;
    item.contextValue = p.contextValue;
    item.iconPath = new vscode.ThemeIcon(p.icon);
    if (entry.kind === 'train') item.command = { command: 'anomalyLens.openDashboard', title: 'Open Training Dashboard', arguments: [entry] };
    else if (entry.kind === 'evaluate' && entry.folder) item.command = { command: 'anomalyLens.openReport', title: 'Open Report', arguments: [entry] };
    return item;
  }

  async getChildren(entry?: RunEntry): Promise<RunEntry[]> {
    return entry ? [] : this.runs();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
