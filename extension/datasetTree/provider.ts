// The Datasets view: finds the workspace's dataset.json files and reads what the nodes need.
import * as vscode from 'vscode';
import { MANIFEST_FILE, parseSplit, splitFile, type SplitContents } from '../../server/dataset/manifestText';
import type { Split } from '../../server/dataset/types';
import {
  imagePath,
  splitDefectChildren,
  datasetChildren,
  datasetNode,
  objectChildren,
  objectsChildren,
  present,
  sortDatasets,
  splitChildren,
  splitObjectChildren,
  type DatasetRef,
  type DatasetTreeNode,
} from './model';

const EXCLUDE = '**/{node_modules,.git,.cache,.anomaly-lens}/**';

export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export function datasetFolder(ref: DatasetRef): vscode.Uri {
  return vscode.Uri.joinPath(vscode.Uri.file(ref.manifestPath), '..');
}

/** The name of a dataset in the view: its folder relative to the workspace. */
function datasetName(manifest: vscode.Uri): string {
  const folder = vscode.Uri.joinPath(manifest, '..');
  const relative = vscode.workspace.asRelativePath(folder, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  if (relative && relative !== folder.fsPath) return relative;
  return vscode.workspace.getWorkspaceFolder(manifest)?.name ?? folder.fsPath;
}

export class DatasetTreeProvider implements vscode.TreeDataProvider<DatasetTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DatasetTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: Promise<DatasetTreeNode[]> | undefined;
  private readonly splitCache = new Map<string, Promise<SplitContents>>();

  /** Forgets what was read and finds the datasets again; resolves to how many there are. */
  async refresh(): Promise<number> {
    this.roots = undefined;
    this.splitCache.clear();
    this.changed.fire(undefined);
    return (await this.datasets()).length;
  }

  datasets(): Promise<DatasetTreeNode[]> {
    this.roots ??= this.findDatasets();
    return this.roots;
  }

  private async findDatasets(): Promise<DatasetTreeNode[]> {
    const uris = await vscode.workspace.findFiles(`**/${MANIFEST_FILE}`, EXCLUDE);
    const nodes = await Promise.all(
      uris.map(async (uri) => {
        const ref: DatasetRef = { manifestPath: uri.fsPath, name: datasetName(uri) };
        try {
          return datasetNode(ref, await readText(uri));
        } catch (err) {
          return { kind: 'invalid', ref, message: (err as Error).message } as DatasetTreeNode;
        }
      }),
    );
    return sortDatasets(nodes);
  }

  /** The records of one split, read once per refresh. */
  splitContents(ref: DatasetRef, split: Split): Promise<SplitContents> {
    const key = `${ref.manifestPath}#${split}`;
    let contents = this.splitCache.get(key);
    if (!contents) {
      const file = vscode.Uri.joinPath(datasetFolder(ref), splitFile(split));
      contents = readText(file).then(parseSplit, (err: Error) => ({
        records: [],
        problems: [err instanceof vscode.FileSystemError && err.code === 'FileNotFound' ? 'file is missing' : err.message],
      }));
      this.splitCache.set(key, contents);
    }
    return contents;
  }

  getTreeItem(node: DatasetTreeNode): vscode.TreeItem {
    const p = present(node);
    const item = new vscode.TreeItem(
      p.label,
      p.collapsible ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = p.id;
    item.description = p.description;
    item.tooltip = p.tooltip;
    item.contextValue = p.contextValue;
    item.iconPath = new vscode.ThemeIcon(p.icon);
    if (node.kind === 'dataset' || node.kind === 'invalid') {
      item.resourceUri = vscode.Uri.file(node.ref.manifestPath);
      item.command = { command: 'vscode.open', title: 'Open dataset.json', arguments: [item.resourceUri] };
    } else if (node.kind === 'split' || node.kind === 'problem') {
      const file = node.kind === 'split' ? splitFile(node.split) : node.file;
      item.command = { command: 'vscode.open', title: `Open ${file}`, arguments: [vscode.Uri.joinPath(datasetFolder(node.ref), file)] };
    } else if (node.kind === 'image') {
      item.resourceUri = vscode.Uri.file(imagePath(node.ref, node.record));
      item.command = { command: 'anomalyLens.openMaskEditor', title: 'Open in Mask Editor', arguments: [item.resourceUri] };
    }
    return item;
  }

  async getChildren(node?: DatasetTreeNode): Promise<DatasetTreeNode[]> {
    if (!node) return this.datasets();
    switch (node.kind) {
      case 'dataset':
        return datasetChildren(node);
      case 'split':
        return splitChildren(node, await this.splitContents(node.ref, node.split));
      case 'splitObject':
        return splitObjectChildren(node);
      case 'splitDefect':
        return splitDefectChildren(node, await this.splitContents(node.ref, node.split));
      case 'objects':
        return objectsChildren(node);
      case 'object':
        return objectChildren(node);
      default:
        return [];
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
