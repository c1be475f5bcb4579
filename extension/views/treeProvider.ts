// What the tree views share: a node's presentation made a tree item, the change event, and for the
// views of things found in the workspace, what was found kept until a refresh finds it again.
import * as vscode from 'vscode';
import type { NodePresentation } from './presentation';

export function treeItem(p: NodePresentation): vscode.TreeItem {
  const item = new vscode.TreeItem(p.label, p.collapsible ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = p.id;
  item.description = p.description;
  item.tooltip = p.tooltip;
  item.contextValue = p.contextValue;
  item.iconPath = new vscode.ThemeIcon(p.icon);
  return item;
}

export abstract class TreeProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  protected readonly changed = new vscode.EventEmitter<T | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  abstract getTreeItem(node: T): vscode.TreeItem;
  abstract getChildren(node?: T): vscode.ProviderResult<T[]>;

  dispose(): void {
    this.changed.dispose();
  }
}

/** A view of what `find` finds in the workspace (F), read once until the next refresh. */
export abstract class FoundTreeProvider<T, F = T> extends TreeProvider<T> {
  private found: Promise<F[]> | undefined;

  protected abstract find(): Promise<F[]>;

  protected foundItems(): Promise<F[]> {
    this.found ??= this.find();
    return this.found;
  }

  /** Forgets what was read and finds it again; resolves to how many top-level nodes there are. */
  async refresh(): Promise<number> {
    this.found = undefined;
    this.forget();
    this.changed.fire(undefined);
    return (await this.getChildren()).length;
  }

  /** What else a refresh forgets. */
  protected forget(): void {}

  abstract override getChildren(node?: T): Promise<T[]>;
}
