// Anomaly Lens: Show Dataset Statistics — the builder's stats.md when there is one, else
// statistics rendered from dataset.json and the child server's tables of the split files, in the
// Markdown preview.
import * as vscode from 'vscode';
import { MANIFEST_FILE } from '../../server/dataset/manifestText';
import { DatasetStatsRequest } from '../../server/rpc/protocol';
import type { ServerClient } from '../client/client';
import { parseManifest, type DatasetRef } from '../datasetTree/model';
import { datasetFolder, type DatasetTreeProvider } from '../datasetTree/provider';
import { exists, readText } from '../views/workspaceFiles';
import { renderStatisticsMarkdown } from '../statistics/markdown';
import { pickDataset } from './pickDataset';

export const STATISTICS_SCHEME = 'anomaly-lens-stats';
const STATS_FILE = 'stats.md';

/** Read-only documents `anomaly-lens-stats:/<name>/stats.md?<dataset.json path>`. */
export class StatisticsDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly client: () => ServerClient) {}

  static uriFor(ref: DatasetRef): vscode.Uri {
    return vscode.Uri.from({ scheme: STATISTICS_SCHEME, path: `/${ref.name}/${STATS_FILE}`, query: ref.manifestPath });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const manifestPath = uri.query;
    const name = uri.path.slice(1, -(STATS_FILE.length + 1));
    const ref: DatasetRef = { manifestPath, name };
    const parsed = parseManifest(await readText(vscode.Uri.file(manifestPath)));
    if (!parsed.ok) throw new Error(`${manifestPath}: ${parsed.message}`);
    const tables = await this.client().request(DatasetStatsRequest, { dataset: datasetFolder(ref).fsPath, partial: true });
    return renderStatisticsMarkdown(name, parsed.manifest, tables);
  }
}

export async function showStatistics(provider: DatasetTreeProvider, arg: unknown): Promise<vscode.TextDocument | undefined> {
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
