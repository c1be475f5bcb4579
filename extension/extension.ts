import * as vscode from 'vscode';
import { buildDataset, type BuildDatasetArgs } from './commands/buildDataset';
import { STATISTICS_SCHEME, StatisticsDocuments, showStatistics } from './commands/showStatistics';
import { MANIFEST_FILE } from '../server/dataset/manifest';
import { DatasetTreeProvider } from './datasetTree/provider';
import { ServerHost } from './server/host';

/** What `activate` returns: other extensions and the integration tests read the view through it. */
export interface AnomalyLensApi {
  datasets: DatasetTreeProvider;
  /** The child server (started on first use). */
  server: ServerHost;
}

let server: ServerHost | undefined;

/** The explorer passes the folder it was invoked on; scripts pass {source, output}. */
function buildArgs(arg: unknown): BuildDatasetArgs {
  if (arg instanceof vscode.Uri) return { source: arg };
  if (typeof arg !== 'object' || arg === null) return {};
  const { source, output } = arg as Record<string, unknown>;
  return {
    source: source instanceof vscode.Uri ? source : undefined,
    output: output instanceof vscode.Uri ? output : undefined,
  };
}

export function activate(context: vscode.ExtensionContext): AnomalyLensApi {
  const datasets = new DatasetTreeProvider();
  server = new ServerHost(context);
  const view = vscode.window.createTreeView('anomalyLens.datasets', { treeDataProvider: datasets, showCollapseAll: true });

  const watcher = vscode.workspace.createFileSystemWatcher(`**/${MANIFEST_FILE}`);
  let pending: ReturnType<typeof setTimeout> | undefined;
  const refreshSoon = () => {
    clearTimeout(pending);
    pending = setTimeout(() => void datasets.refresh(), 300);
  };
  watcher.onDidCreate(refreshSoon);
  watcher.onDidChange(refreshSoon);
  watcher.onDidDelete(refreshSoon);

  context.subscriptions.push(
    server,
    datasets,
    view,
    watcher,
    { dispose: () => clearTimeout(pending) },
    vscode.workspace.registerTextDocumentContentProvider(STATISTICS_SCHEME, new StatisticsDocuments(datasets)),
    vscode.commands.registerCommand('anomalyLens.refreshDatasets', () => datasets.refresh()),
    vscode.commands.registerCommand('anomalyLens.showStatistics', (arg?: unknown) => showStatistics(datasets, arg)),
    vscode.commands.registerCommand('anomalyLens.buildDataset', (arg?: unknown) => buildDataset(context, datasets, buildArgs(arg))),
  );
  return { datasets, server };
}

/** Waits for the child server to shut down. */
export function deactivate(): Promise<void> | undefined {
  const host = server;
  server = undefined;
  return host?.dispose();
}
