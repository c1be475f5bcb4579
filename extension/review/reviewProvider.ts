// The Review view: the regions of a dataset whose label the selected bundle disagrees with, most
// confident first.  Choosing one opens the mask editor on that region; each can be accepted as
// labelled, given the model's description, or edited.  Accepted labels are remembered per workspace.
// When the dataset changes on disk (an editor's save, a build, a split file saved), the items whose
// region is no longer the one reviewed leave the view.  The queue is kept in the workspace's state,
// so a window reloaded shows it again (less the items whose region changed meanwhile).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReviewItem, ReviewQueue } from '../../server/editor/reviewTypes';
import type { DatasetChanges } from '../datasets/datasetChanges';
import { TreeProvider, treeItem } from '../views/treeProvider';
import { acceptKey, openItems, recordRegions, restoredQueue, reviewRow, stillAsReviewed, storedQueue, type RecordRegions } from './reviewModel';

const ACCEPTED_KEY = 'anomalyLens.review.accepted';
const QUEUE_KEY = 'anomalyLens.review.queue';

export class ReviewTreeProvider extends TreeProvider<ReviewItem> {
  queue: ReviewQueue | undefined;
  private watching: { dataset: string; subscription: vscode.Disposable } | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly changes: DatasetChanges,
  ) {
    super();
    const kept = restoredQueue(state.get(QUEUE_KEY));
    if (kept) {
      this.show(kept);
      void this.recheck();
    }
  }

  private accepted(): Set<string> {
    return new Set(this.state.get<string[]>(ACCEPTED_KEY, []));
  }

  show(queue: ReviewQueue): void {
    this.queue = queue;
    void this.state.update(QUEUE_KEY, storedQueue(queue));
    if (this.watching?.dataset !== queue.dataset) {
      this.watching?.subscription.dispose();
      this.watching = { dataset: queue.dataset, subscription: this.changes.onDatasetChange(queue.dataset, () => void this.recheck()) };
    }
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

  /** The item's region took the model's description: it leaves the queue, and its record's other items carry the record's new version. */
  relabelled(item: ReviewItem, version: string): void {
    if (!this.queue) return;
    const items = this.queue.items
      .filter((i) => !(i.record === item.record && i.region === item.region))
      .map((i) => (i.record === item.record ? { ...i, version } : i));
    this.show({ ...this.queue, items });
  }

  /** The item's region is not the one reviewed any more. */
  drop(item: ReviewItem): void {
    if (this.queue) this.show({ ...this.queue, items: this.queue.items.filter((i) => !(i.record === item.record && i.region === item.region)) });
  }

  /** After a change of the dataset: the items whose region is no longer the one reviewed leave the view. */
  async recheck(): Promise<void> {
    const queue = this.queue;
    if (!queue) return;
    const records = new Map<string, RecordRegions>();
    for (const split of new Set(queue.items.map((i) => i.split))) {
      try {
        records.set(split, recordRegions(await fs.readFile(path.join(queue.dataset, `${split}.jsonl`), 'utf8')));
      } catch {
        records.set(split, new Map());
      }
    }
    if (this.queue !== queue) return;
    const items = queue.items.filter((i) => stillAsReviewed(i, records.get(i.split)?.get(i.record)));
    if (items.length !== queue.items.length) this.show({ ...queue, items });
  }

  /** What the mask editor opens an item with: its region selected, the label and the model's answers shown beside it. */
  editorArgs(item: ReviewItem): { image: string; region: number; review: { truth: string; model: ReviewItem['model']; bundle: string; uncertain?: boolean } } {
    return { image: item.image, region: item.region, review: { truth: item.truth, model: item.model, bundle: this.queue?.bundle ?? '', ...(item.uncertain ? { uncertain: true } : {}) } };
  }

  getTreeItem(item: ReviewItem): vscode.TreeItem {
    const node = treeItem({ ...reviewRow(item), contextValue: 'anomalyLens.reviewItem', icon: 'warning' });
    node.command = { command: 'anomalyLens.openMaskEditor', title: 'Open in Mask Editor', arguments: [this.editorArgs(item)] };
    return node;
  }

  getChildren(item?: ReviewItem): ReviewItem[] {
    return item ? [] : this.items();
  }

  override dispose(): void {
    this.watching?.subscription.dispose();
    super.dispose();
  }
}
