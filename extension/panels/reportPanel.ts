// The evaluation report panel: one per report folder (and the one it is compared with). The host
// reads report.json and the gallery's pictures and posts them; the webview reads no file and
// loads nothing but its bundle (localResourceRoots: dist/webviews only). Neither the webview's
// saved state nor report.json is trusted with paths: the folders they name are read only inside
// the workspace (see panelRoots.ts).
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { REPORT_VIEW_TYPE, type ReportEvent, type ReportRequests, type ReportState } from '../../webviews/report/messages';
import { loadPage, panelOptions, serveWebview } from './panelHost';
import { allowPanelFolder, allowedFolder, panelRoots } from './panelRoots';
import { REPORT_JSON, datasetFile, galleryPictures, readReport } from './reportFiles';

const open = new Map<string, vscode.WebviewPanel>();

function panelKey(folder: string, compareWith?: string): string {
  return JSON.stringify([resolve(folder), compareWith ? resolve(compareWith) : null]);
}

function title(folder: string, compareWith?: string): string {
  const name = (f: string) => resolve(f).split(/[\\/]/).slice(-2).join('/');
  return compareWith ? `Report: ${name(folder)} vs ${name(compareWith)}` : `Report: ${name(folder)}`;
}

function attach(context: vscode.ExtensionContext, panel: vscode.WebviewPanel, folder: string, compareWith?: string): void {
  let compare = compareWith;
  let key = panelKey(folder, compare);
  open.set(key, panel);
  const disposables: vscode.Disposable[] = [];
  panel.title = title(folder, compare);
  loadPage(panel, context.extensionUri, 'report', panel.title);

  const post = serveWebview<ReportRequests, ReportEvent>(
    panel,
    {
      ready: () => {
        send();
        return null;
      },
      openImage: async ({ path }) => {
        const file = datasetFile(readReport(folder).report, path, panelRoots(context));
        if (!file) throw new Error(`${path} is not a file of the report's dataset, or the dataset lies outside the workspace folders`);
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.Beside });
        return null;
      },
      pickCompare: async () => {
        const picked = await vscode.window.showOpenDialog({
          canSelectFolders: true,
          canSelectFiles: false,
          canSelectMany: false,
          openLabel: 'Compare',
          title: `A report folder (with ${REPORT_JSON}) to compare with`,
        });
        if (!picked?.[0]) return null;
        try {
          readReport(picked[0].fsPath);
        } catch (err) {
          void vscode.window.showErrorMessage(`Cannot compare: ${(err as Error).message}`);
          return null;
        }
        allowPanelFolder(context, picked[0].fsPath);
        rekey(picked[0].fsPath);
        send();
        return null;
      },
      stopCompare: () => {
        rekey(undefined);
        send();
        return null;
      },
    },
    disposables,
  );

  function send(): void {
    const report = readReport(folder);
    const other = compare ? readReport(compare) : undefined;
    post({ kind: 'report', report, compare: other, pictures: other ? {} : galleryPictures(report.report, panelRoots(context)) });
  }

  function rekey(next: string | undefined): void {
    open.delete(key);
    compare = next;
    key = panelKey(folder, compare);
    open.set(key, panel);
    panel.title = title(folder, compare);
  }

  // Evaluating into the folder again refreshes the page.
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), REPORT_JSON));
  const refresh = () => {
    try {
      send();
    } catch {
      // Mid-write or removed: the next change or load shows it.
    }
  };
  disposables.push(watcher, watcher.onDidChange(refresh), watcher.onDidCreate(refresh));

  panel.onDidDispose(() => {
    if (open.get(key) === panel) open.delete(key);
    for (const d of disposables) d.dispose();
  });
}

/** Opens the report in `reportFolder` (compared with the one in `compareWith`), or shows it if open. */
export function openReport(context: vscode.ExtensionContext, reportFolder: string, compareWith?: string): void {
  try {
    // Fail here, with a message, rather than in an empty panel.
    readReport(reportFolder);
    if (compareWith) readReport(compareWith);
  } catch (err) {
    void vscode.window.showErrorMessage(`Cannot open the report: ${(err as Error).message}`);
    return;
  }
  allowPanelFolder(context, resolve(reportFolder));
  if (compareWith) allowPanelFolder(context, resolve(compareWith));
  const existing = open.get(panelKey(reportFolder, compareWith));
  if (existing) {
    existing.reveal();
    return;
  }
  const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, title(reportFolder, compareWith), vscode.ViewColumn.Active, panelOptions(context.extensionUri));
  attach(context, panel, resolve(reportFolder), compareWith && resolve(compareWith));
}

export function reportSerializer(context: vscode.ExtensionContext): vscode.WebviewPanelSerializer<ReportState> {
  return {
    async deserializeWebviewPanel(panel, state) {
      const folder = allowedFolder(context, state?.folder);
      if (!folder) {
        if (state?.folder !== undefined) {
          void vscode.window.showWarningMessage(`Anomaly Lens: the report of ${String(state.folder)} was not restored: the folder lies outside the workspace folders.`);
        }
        panel.dispose();
        return;
      }
      attach(context, panel, folder, allowedFolder(context, state?.compareFolder));
    },
  };
}
