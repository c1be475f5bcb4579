// The Datasets view: finds the workspace's dataset.json files and reads what the nodes need.
import * as vscode from 'vscode';
import { MANIFEST_FILE, parseSplit, splitFile, type SplitContents } from '../../server/dataset/manifestText';
import type { Split } from '../../server/dataset/types';
import { FoundTreeProvider, treeItem } from '../views/treeProvider';
import { excludedFolders, readText, workspaceName } from '../views/workspaceFiles';
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

const EXCLUDE = excludedFolders('.cache');

export function datasetFolder(ref: DatasetRef): vscode.Uri {
  return vscode.Uri.joinPath(vscode.Uri.file(ref.manifestPath), '..');
}

/** The name of a dataset in the view: its folder relative to the workspace. */
function datasetName(manifest: vscode.Uri): string {
  const folder = vscode.Uri.joinPath(manifest, '..');
  return workspaceName(folder, vscode.workspace.getWorkspaceFolder(manifest)?.name ?? folder.fsPath);
}

export class DatasetTreeProvider extends FoundTreeProvider<DatasetTreeNode> {
  private readonly splitCache = new Map<string, Promise<SplitContents>>();

  protected override forget(): void {
    this.splitCache.clear();
  }

  datasets(): Promise<DatasetTreeNode[]> {
    return this.foundItems();
  }

  protected async find(): Promise<DatasetTreeNode[]> {
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
    const item = treeItem(present(node));
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
}
