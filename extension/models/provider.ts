// The Models view: the embedded default model and every bundle.json in the workspace.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FoundTreeProvider, treeItem } from '../views/treeProvider';
import { excludedFolders, readText, workspaceName } from '../views/workspaceFiles';
import { arrangeModels, modelChildren, parseBundle, presentModel, type ModelInfo, type ModelNode } from './model';

const EXCLUDE = excludedFolders();
export const BUNDLE_FILE = 'bundle.json';

export class ModelTreeProvider extends FoundTreeProvider<ModelNode> {
  constructor(
    /** The embedded default model's folder. */
    readonly embeddedFolder: string,
    private readonly defaultBundle: () => string,
  ) {
    super();
  }

  models(): Promise<ModelNode[]> {
    return this.foundItems();
  }

  /** Readable bundles (default first). */
  async bundles(): Promise<ModelInfo[]> {
    return (await this.models()).flatMap((n) => (n.kind === 'model' ? [n.model] : []));
  }

  private async read(folder: vscode.Uri, name: string, embedded: boolean): Promise<ModelNode> {
    try {
      return parseBundle(folder.fsPath, name, await readText(vscode.Uri.joinPath(folder, BUNDLE_FILE)), embedded);
    } catch (err) {
      return { kind: 'invalid', folder: folder.fsPath, name, message: (err as Error).message };
    }
  }

  protected async find(): Promise<ModelNode[]> {
    const uris = await vscode.workspace.findFiles(`**/${BUNDLE_FILE}`, EXCLUDE);
    const embedded = vscode.Uri.file(this.embeddedFolder);
    const nodes = await Promise.all([
      this.read(embedded, 'default model (embedded)', true),
      ...uris
        .map((u) => vscode.Uri.joinPath(u, '..'))
        .filter((f) => f.fsPath !== embedded.fsPath)
        .map((f) => this.read(f, workspaceName(f), false)),
    ]);
    const configured = this.defaultBundle();
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return arrangeModels(nodes, configured ? path.resolve(workspace ?? '', configured) : undefined);
  }

  getTreeItem(node: ModelNode): vscode.TreeItem {
    const item = treeItem(presentModel(node));
    if (node.kind === 'model' || node.kind === 'invalid') {
      const folder = node.kind === 'model' ? node.model.folder : node.folder;
      item.resourceUri = vscode.Uri.file(path.join(folder, BUNDLE_FILE));
      item.command = { command: 'vscode.open', title: 'Open bundle.json', arguments: [item.resourceUri] };
    }
    return item;
  }

  async getChildren(node?: ModelNode): Promise<ModelNode[]> {
    return node ? modelChildren(node) : this.models();
  }
}
