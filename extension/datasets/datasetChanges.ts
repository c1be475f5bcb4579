// The files that hold images' regions, watched in one place: a built dataset's manifest and split
// files, a source mask.  Every writer changes them on disk — a mask editor's save, the Review
// view's relabel, a build, a split file saved after a quick fix, another program — and every open
// view of them (mask editors, the Review view) hears of it here and reads them again.  Writers in
// this window also say so at once (`changed`), without waiting for the file watcher.
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The files of a built dataset whose change can change an image's regions. */
const DATASET_FILES = '{dataset.json,train.jsonl,val.jsonl,test.jsonl}';

interface Watched {
  watcher: vscode.FileSystemWatcher;
  listeners: Set<() => void>;
}

const keyOf = (folder: string, glob: string) => `${path.resolve(folder)}\0${glob}`;

export class DatasetChanges implements vscode.Disposable {
  private readonly watched = new Map<string, Watched>();

  /** Calls `listener` whenever the dataset in `root` changes on disk. */
  onDatasetChange(root: string, listener: () => void): vscode.Disposable {
    return this.subscribe(root, DATASET_FILES, listener);
  }

  /** Calls `listener` whenever `file` (a source mask) changes on disk. */
  onFileChange(file: string, listener: () => void): vscode.Disposable {
    return this.subscribe(path.dirname(file), path.basename(file), listener);
  }

  /** A writer in this window changed the dataset in `root`. */
  changed(root: string): void {
    this.fire(keyOf(root, DATASET_FILES));
  }

  private fire(key: string): void {
    for (const listener of [...(this.watched.get(key)?.listeners ?? [])]) listener();
  }

  private subscribe(folder: string, glob: string, listener: () => void): vscode.Disposable {
    const key = keyOf(folder, glob);
    let entry = this.watched.get(key);
    if (!entry) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), glob));
      const fire = () => this.fire(key);
      watcher.onDidChange(fire);
      watcher.onDidCreate(fire);
      watcher.onDidDelete(fire);
      entry = { watcher, listeners: new Set() };
      this.watched.set(key, entry);
    }
    const watched = entry;
    watched.listeners.add(listener);
    return new vscode.Disposable(() => {
      watched.listeners.delete(listener);
      if (watched.listeners.size === 0 && this.watched.get(key) === watched) {
        watched.watcher.dispose();
        this.watched.delete(key);
      }
    });
  }

  dispose(): void {
    for (const { watcher } of this.watched.values()) watcher.dispose();
    this.watched.clear();
  }
}
