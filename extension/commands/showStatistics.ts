// Anomaly Lens: Show Dataset Statistics — the builder's stats.md when there is one, else
// statistics rendered from dataset.json and the child server's tables of the split files, in the
// Markdown preview. The preview shows dataset.json's part at once, with a note that the tables are
// being computed, and the tables when the server answers.
import * as vscode from 'vscode';
import { MANIFEST_FILE } from '../../server/dataset/manifestText';
import { DatasetStatsRequest } from '../../server/rpc/protocol';
import type { ServerClient } from '../client/client';
import { parseManifest, type DatasetRef } from '../datasetTree/model';
import { datasetFolder, type DatasetTreeProvider } from '../datasetTree/provider';
import { exists, readText } from '../views/workspaceFiles';
import { renderStatisticsMarkdown, type StatisticsTables, type TablesPending } from '../statistics/markdown';
import { pickDataset } from './pickDataset';

export const STATISTICS_SCHEME = 'anomaly-lens-stats';
const STATS_FILE = 'stats.md';

/** Read-only documents `anomaly-lens-stats:/<name>/stats.md?<dataset.json path>`. */
export class StatisticsDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** The server's tables of each open document, or that they are being computed. */
  private readonly tables = new Map<string, StatisticsTables | TablesPending>();
  private readonly closed: vscode.Disposable;

  constructor(private readonly client: () => ServerClient) {
    this.closed = vscode.workspace.onDidCloseTextDocument((d) => this.tables.delete(d.uri.toString()));
  }

  static uriFor(ref: DatasetRef): vscode.Uri {
    return vscode.Uri.from({ scheme: STATISTICS_SCHEME, path: `/${ref.name}/${STATS_FILE}`, query: ref.manifestPath });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const manifestPath = uri.query;
    const name = uri.path.slice(1, -(STATS_FILE.length + 1));
    const ref: DatasetRef = { manifestPath, name };
    const parsed = parseManifest(await readText(vscode.Uri.file(manifestPath)));
    if (!parsed.ok) throw new Error(`${manifestPath}: ${parsed.message}`);
    const key = uri.toString();
    let tables = this.tables.get(key);
    if (!tables) {
      tables = { computing: true };
      this.tables.set(key, tables);
      void this.compute(uri, datasetFolder(ref).fsPath, tables);
    }
    return renderStatisticsMarkdown(name, parsed.manifest, tables);
  }

  /** Asks the server for the tables; the document is shown again with them (unless asked anew meanwhile). */
  private async compute(uri: vscode.Uri, dataset: string, asked: TablesPending): Promise<void> {
    let answer: StatisticsTables | TablesPending;
    try {
      answer = await this.client().request(DatasetStatsRequest, { dataset, partial: true });
    } catch (err) {
      answer = { failed: (err as Error).message };
    }
    const key = uri.toString();
    if (this.tables.get(key) !== asked) return;
    this.tables.set(key, answer);
    this.changed.fire(uri);
  }

  /** Computes the document's tables again (the dataset may have changed since). */
  refresh(uri: vscode.Uri): void {
    if (!this.tables.has(uri.toString())) return;
    this.tables.delete(uri.toString());
    this.changed.fire(uri);
  }

  dispose(): void {
    this.closed.dispose();
    this.changed.dispose();
  }
}

export async function showStatistics(provider: DatasetTreeProvider, documents: StatisticsDocuments, arg: unknown): Promise<vscode.TextDocument | undefined> {
  const ref = await pickDataset(provider, arg);
  if (!ref) return undefined;
  const written = vscode.Uri.joinPath(datasetFolder(ref), STATS_FILE);
  let target = written;
  if (!(await exists(written))) {
    const manifest = vscode.Uri.file(ref.manifestPath);
    if (!(await exists(manifest))) {
      void vscode.window.showErrorMessage(`Anomaly Lens: ${ref.manifestPath} does not exist.`);
      return undefined;
    }
    target = StatisticsDocuments.uriFor(ref);
    documents.refresh(target);
  }
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(target);
  } catch (err) {
    void vscode.window.showErrorMessage(`Anomaly Lens: cannot show statistics of ${MANIFEST_FILE}: ${(err as Error).message}`);
    return undefined;
  }
  await vscode.commands.executeCommand('markdown.showPreview', target);
  return document;
}
