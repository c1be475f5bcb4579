// The Review view: the regions of a dataset whose label the selected bundle disagrees with, most
// confident first.  Choosing one opens the mask editor on that region; each can be accepted as
// labelled, given the model's description, or edited.  Accepted labels are remembered per workspace.
import * as vscode from 'vscode';
import type { ReviewItem, ReviewQueue } from '../../server/editor/reviewTypes';
import { acceptKey, openItems, reviewRow } from './reviewModel';

const ACCEPTED_KEY = 'anomalyLens.review.accepted';

export class ReviewTreeProvider implements vscode.TreeDataProvider<ReviewItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ReviewItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  queue: ReviewQueue | undefined;

  constructor(private readonly state: vscode.Memento) {}

  private accepted(): Set<string> {
    return new Set(this.state.get<string[]>(ACCEPTED_KEY, []));
  }

  show(queue: ReviewQueue): void {
    this.queue = queue;
    void vscode.commands.executeCommand('setContext', 'anomalyLens.reviewReady', true);
    this.changed.fire(undefined);
  }

  items(): ReviewItem[] {
    return this.queue ? openItems(this.queue.items, this.accepted()) : [];
  }

  async accept(item: ReviewItem): Promise<void> {
    await this.state.update(ACCEPTED_KEY, [...this.accepted(), acceptKey(item)]);
    this.changed.fire(undefined);
  }

  getTreeItem(item: ReviewItem): vscode.TreeItem {
    const row = reviewRow(item);
    const node = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    node.description = row.description;
    node.tooltip = row.tooltip;
    node.contextValue = 'anomalyLens.reviewItem';
    node.iconPath = new vscode.ThemeIcon('warning');
    node.command = { command: 'anomalyLens.openMaskEditor', title: 'Open in Mask Editor', arguments: [{ image: item.image, region: item.region }] };
    return node;
  }

  getChildren(item?: ReviewItem): ReviewItem[] {
    return item ? [] : this.items();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
