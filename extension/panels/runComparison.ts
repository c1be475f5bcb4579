// The run comparison panel: one for the window, showing the training runs chosen last (selected in
// the Runs view), their curves redrawn as their history files grow. The webview is given names and
// numbers only: a run is named back to the host by its index.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { HISTORY_FILE, parseHistory, type HistoryEvent } from '../../server/jobs/trainHistory';
import { COMPARE_VIEW_TYPE, type CompareEvent, type CompareRequests, type ComparedRun } from '../../webviews/compare/messages';
import { comparedRun } from '../runs/comparison';
import { loadPage, panelOptions, serveWebview } from './panelHost';
import { samePath } from './trainingHistory';

export interface ComparisonHost {
  /** Whether a job trains this run folder now. */
  running(folder: string): boolean;
  openDashboard(folder: string): void;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path)));
  } catch {
    return undefined;
  }
}

async function readRun(folder: string, running: boolean): Promise<ComparedRun> {
  const [runJson, historyText, bundleJson] = await Promise.all([
    readText(join(folder, 'run.json')),
    readText(join(folder, HISTORY_FILE)),
    readText(join(folder, 'bundle', 'bundle.json')),
  ]);
  const history: HistoryEvent[] = historyText === undefined ? [] : parseHistory(historyText);
  return comparedRun(vscode.workspace.asRelativePath(folder), { runJson, history, bundleJson }, (p) => vscode.workspace.asRelativePath(p), running);
}

let shown: { panel: vscode.WebviewPanel; show(folders: string[]): void } | undefined;

export function openRunComparison(context: vscode.ExtensionContext, folders: string[], host: ComparisonHost): void {
  if (shown) {
    shown.show(folders);
    shown.panel.reveal();
    return;
  }
  const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, 'Compare Runs', vscode.ViewColumn.Active, panelOptions(context.extensionUri));
  loadPage(panel, context.extensionUri, 'compare', 'Compare Runs');
  let current = folders;
  const disposables: vscode.Disposable[] = [];

  async function replay(): Promise<void> {
    const asked = current;
    const runs = await Promise.all(asked.map((f) => readRun(f, host.running(f))));
    if (asked === current) post({ kind: 'runs', runs });
  }

  const post = serveWebview<CompareRequests, CompareEvent>(
    panel,
    {
      ready: async () => {
        await replay();
        return null;
      },
      openDashboard: ({ run }) => {
        const folder = current[run];
        if (folder === undefined) throw new Error(`There is no run ${run} in the comparison.`);
        host.openDashboard(folder);
        return null;
      },
    },
    disposables,
  );

  // A run that trains meanwhile: its curves grow as its history does.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${HISTORY_FILE}`);
  const changed = (uri: vscode.Uri) => {
    if (!current.some((f) => samePath(join(f, HISTORY_FILE), uri.fsPath))) return;
    clearTimeout(timer);
    timer = setTimeout(() => void replay(), 1000);
  };
  disposables.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), { dispose: () => clearTimeout(timer) });

  shown = {
    panel,
    show(next) {
      current = next;
      void replay();
    },
  };
  panel.onDidDispose(() => {
    shown = undefined;
    for (const d of disposables) d.dispose();
  });
}
