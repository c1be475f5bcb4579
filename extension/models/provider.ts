// The Models view: the embedded default model and every bundle.json in the workspace.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readText } from '../datasetTree/provider';
import { arrangeModels, modelChildren, parseBundle, presentModel, type ModelInfo, type ModelNode } from './model';

const EXCLUDE = '**/{node_modules,.git,.anomaly-lens}/**';
export const BUNDLE_FILE = 'bundle.json';

function relativeName(folder: vscode.Uri): string {
  const relative = vscode.workspace.asRelativePath(folder, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  return relative && relative !== folder.fsPath ? relative : path.basename(folder.fsPath);
}

export class ModelTreeProvider implements vscode.TreeDataProvider<ModelNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ModelNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: Promise<ModelNode[]> | undefined;

  constructor(
    /** The embedded default model's folder. */
    readonly embeddedFolder: string,
    private readonly defaultBundle: () => string,
  ) {}

  async refresh(): Promise<number> {
    this.roots = undefined;
    this.changed.fire(undefined);
    return (await this.models()).length;
  }

  models(): Promise<ModelNode[]> {
    this.roots ??= this.find();
    return this.roots;
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

  private async find(): Promise<ModelNode[]> {
    const uris = await vscode.workspace.findFiles(`**/${BUNDLE_FILE}`, EXCLUDE);
    const embedded = vscode.Uri.file(this.embeddedFolder);
    const nodes = await Promise.all([
      this.read(embedded, 'default model (embedded)', true),
      ...uris
        .map((u) => vscode.Uri.joinPath(u, '..'))
        .filter((f) => f.fsPath !== embedded.fsPath)
        .map((f) => this.read(f, relativeName(f), false)),
    ]);
    const configured = this.defaultBundle();
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return arrangeModels(nodes, configured ? path.resolve(workspace ?? '', configured) : undefined);
  }

  getTreeItem(node: ModelNode): vscode.TreeItem {
    const p = presentModel(node);
    const item = new vscode.TreeItem(p.label, p.collapsible ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = p.id;
    item.description = p.description;
    item.tooltip = p.tooltip;
    item.contextValue = p.contextValue;
    item.iconPath = new vscode.ThemeIcon(p.icon);
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

  dispose(): void {
    this.changed.dispose();
  }
}
