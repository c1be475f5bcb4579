// Which dataset a command acts on: the tree node it was invoked on, a dataset.json (or its
// folder) passed as a URI, the only dataset of the workspace, or the one the user picks.
import * as vscode from 'vscode';
import { MANIFEST_FILE } from '../../server/dataset/manifestText';
import type { DatasetRef, DatasetTreeNode } from '../datasetTree/model';
import type { DatasetTreeProvider } from '../datasetTree/provider';

function isNode(value: unknown): value is DatasetTreeNode {
  return typeof value === 'object' && value !== null && 'kind' in value && 'ref' in value;
}

export async function pickDataset(provider: DatasetTreeProvider, arg: unknown): Promise<DatasetRef | undefined> {
  if (isNode(arg)) return arg.ref;
  const datasets = await provider.datasets();
  if (arg instanceof vscode.Uri) {
    const manifest = arg.path.endsWith(`/${MANIFEST_FILE}`) ? arg : vscode.Uri.joinPath(arg, MANIFEST_FILE);
    const known = datasets.find((d) => d.ref.manifestPath === manifest.fsPath);
    return known?.ref ?? { manifestPath: manifest.fsPath, name: vscode.workspace.asRelativePath(vscode.Uri.joinPath(manifest, '..')) };
  }
  if (datasets.length === 0) {
    void vscode.window.showInformationMessage(`Anomaly Lens: no ${MANIFEST_FILE} in this workspace. Build a dataset first.`);
    return undefined;
  }
  if (datasets.length === 1) return datasets[0].ref;
  const picked = await vscode.window.showQuickPick(
    datasets.map((d) => ({ label: d.ref.name, detail: d.ref.manifestPath, ref: d.ref })),
    { title: 'Anomaly Lens: choose a dataset', matchOnDetail: true },
  );
  return picked?.ref;
}
