// What the workbench commands share: the extension's parts, reading a command's argument (a tree
// node, a URI, or an object of choices from a script), and the pickers of the interactive flow.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetTreeProvider } from '../datasetTree/provider';
import type { JobContext } from '../jobProgress/ui';
import type { JobTracker } from '../jobProgress/tracker';
import type { ModelTreeProvider } from '../models/provider';
import type { RunTreeProvider } from '../runs/provider';
import type { ServerHost } from '../client/host';
import type { Choice } from '../ui/stepTable';

export interface Workbench {
  context: vscode.ExtensionContext;
  host: ServerHost;
  tracker: JobTracker;
  jobs: JobContext;
  datasets: DatasetTreeProvider;
  models: ModelTreeProvider;
  runs: RunTreeProvider;
}

/** A path from a string, a URI, or a tree node that carries one. */
export function fsPathOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value) return value;
  if (value instanceof vscode.Uri) return value.fsPath;
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { ref?: { manifestPath?: unknown }; model?: { folder?: unknown }; folder?: unknown; fsPath?: unknown };
  if (typeof v.ref?.manifestPath === 'string') return path.dirname(v.ref.manifestPath);
  if (typeof v.model?.folder === 'string') return v.model.folder;
  if (typeof v.folder === 'string') return v.folder;
  return undefined;
}

/** The object of choices a script passes, or {} (tree nodes and URIs are read by fsPathOf). */
export function choicesOf(arg: unknown): Record<string, unknown> {
  if (typeof arg !== 'object' || arg === null || arg instanceof vscode.Uri) return {};
  // A node of the Datasets, Models or Runs view.
  if ('kind' in arg && ('ref' in arg || 'model' in arg || 'status' in arg)) return {};
  return arg as Record<string, unknown>;
}

export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** A path as a title shows it: relative to the workspace folder. */
export function shownPath(p: string): string {
  return vscode.workspace.asRelativePath(p);
}

/** An absolute path: relative ones are relative to the workspace folder. */
export function absolute(p: string): string {
  return path.isAbsolute(p) ? p : path.resolve(workspaceRoot() ?? process.cwd(), p);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A folder name not taken yet below `parent`: base, base-2, base-3, … */
export async function freshFolder(parent: string, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = path.join(parent, n === 1 ? base : `${base}-${n}`);
    try {
      await vscode.workspace.fs.stat(vscode.Uri.file(candidate));
    } catch {
      return candidate;
    }
  }
}

export async function askPath(title: string, value: string): Promise<string | undefined> {
  const answer = await vscode.window.showInputBox({
    title: `Anomaly Lens: ${title}`,
    value,
    valueSelection: [value.length - path.basename(value).length, value.length],
    validateInput: (text) => (text.trim() ? undefined : 'Enter a folder path.'),
  });
  return answer ? absolute(answer.trim()) : undefined;
}

export async function pickFile(title: string, filters?: Record<string, string[]>, folders = false): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: `Anomaly Lens: ${title}`,
    canSelectFiles: !folders,
    canSelectFolders: folders,
    canSelectMany: false,
    filters,
    defaultUri: workspaceRoot() ? vscode.Uri.file(workspaceRoot() as string) : undefined,
  });
  return picked?.[0]?.fsPath;
}

/** A dataset folder: from the argument, the only one, or picked from the Datasets view. */
export async function pickDatasetFolder(wb: Workbench, given: unknown): Promise<string | undefined> {
  const direct = fsPathOf(given);
  if (direct) return absolute(direct.endsWith('dataset.json') ? path.dirname(direct) : direct);
  const datasets = (await wb.datasets.datasets()).filter((d) => d.kind === 'dataset');
  if (datasets.length === 0) {
    void vscode.window.showInformationMessage('Anomaly Lens: no dataset.json in this workspace. Create the sample or build a dataset first.');
    return undefined;
  }
  if (datasets.length === 1) return path.dirname(datasets[0].ref.manifestPath);
  const picked = await vscode.window.showQuickPick(
    datasets.map((d) => ({ label: d.ref.name, detail: path.dirname(d.ref.manifestPath) })),
    { title: 'Anomaly Lens: choose a dataset', matchOnDetail: true },
  );
  return picked?.detail;
}

/** A model bundle: the embedded default (undefined) or a folder, picked from the Models view. */
export async function pickBundle(wb: Workbench, title: string, options: { allowNone?: string } = {}): Promise<{ folder?: string } | undefined> {
  const bundles = await wb.models.bundles();
  const items: (vscode.QuickPickItem & { folder?: string; none?: boolean })[] = [
    ...(options.allowNone ? [{ label: options.allowNone, none: true }] : []),
    ...bundles.map((b) => ({ label: b.name, description: `${b.size} ${b.imageSize}px · ${b.descriptions.length} descriptions`, detail: b.folder, folder: b.embedded ? undefined : b.folder })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Anomaly Lens: ${title}`, matchOnDetail: true });
  if (!picked) return undefined;
  return picked.none ? { folder: '' } : { folder: picked.folder };
}

/** The workspace's datasets as choices of a step; none: the user is told so. */
export async function datasetChoices(wb: Workbench): Promise<Choice<string>[] | undefined> {
  const datasets = (await wb.datasets.datasets()).filter((d) => d.kind === 'dataset');
  if (datasets.length === 0) {
    void vscode.window.showInformationMessage('Anomaly Lens: no dataset.json in this workspace. Create the sample or build a dataset first.');
    return undefined;
  }
  return datasets.map((d) => ({ label: d.ref.name, detail: path.dirname(d.ref.manifestPath), value: path.dirname(d.ref.manifestPath) }));
}

/** A dataset folder the command was started on (a tree node, a URI, a path), if any. */
export function givenDataset(value: unknown): string | undefined {
  const direct = fsPathOf(value);
  return direct ? absolute(direct.endsWith('dataset.json') ? path.dirname(direct) : direct) : undefined;
}

/** The dataset step's given answer: the one the command was started on, or the workspace's only one. */
export function fixedDataset(given: string | undefined, datasets: Choice<string>[]): { dataset: string } | Record<string, never> {
  const only = datasets.length === 1 ? datasets[0].value : undefined;
  const dataset = given ?? only;
  return dataset ? { dataset } : {};
}
