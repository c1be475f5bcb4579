// The mask editor's document on the extension host: it owns the regions (the mask model), applies
// every edit and reports it to VS Code as one undoable step, and saves, reverts and backs up
// without the webview.  Reading and writing the mask files goes through the child server, and the
// document remembers the version of the regions it read: a save names it (the server refuses it
// once the regions moved on), and a change on disk is read again — taken at once when no edit is
// unsaved, reported as a conflict when one is.
import * as vscode from 'vscode';
import { MaskModel } from '../../server/editor/maskDocument/maskModel';
import type { MaskEdit } from '../../server/editor/maskDocument/types';
import type { RegionsSource } from '../../server/editor/regionsTypes';
import { decodeLabels } from '../../server/editor/labelsCodec';
import { fromBackup, toBackup } from '../../server/editor/backup';
import type { LoadRegionsResult, SaveRegionsResult } from '../../server/rpc/protocol';
import { EditHistory } from './editHistory';

export interface MaskFilesIo {
  load(image: string, mask?: string): Promise<LoadRegionsResult>;
  save(document: MaskEditorDocument): Promise<SaveRegionsResult>;
}

/** What a change on disk did to the document. */
export type DiskChange =
  /** Nothing new for it (its own save, or another image's record). */
  | { kind: 'none' }
  /** It had no unsaved edits and now shows the regions on disk. */
  | { kind: 'reloaded' }
  /** It has unsaved edits made on an older version: the user decides. */
  | { kind: 'conflict'; version: string };

export class MaskEditorDocument implements vscode.CustomDocument {
  private readonly changed = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<MaskEditorDocument>>();
  /** VS Code's undo/redo stack entries call back into the document. */
  readonly onDidChange = this.changed.event;
  private readonly edited = new vscode.EventEmitter<{ edit: MaskEdit; direction: 'apply' | 'revert' }>();
  /** Every applied or reverted edit, for the webviews showing the document. */
  readonly onDidEdit = this.edited.event;
  private readonly reset = new vscode.EventEmitter<void>();
  /** The whole state changed (revert, reload). */
  readonly onDidReset = this.reset.event;
  private readonly sourceChanged = new vscode.EventEmitter<RegionsSource>();
  /** The regions live elsewhere now (a first save, another mask chosen, a record moved). */
  readonly onDidChangeSource = this.sourceChanged.event;
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;

  private readonly history: EditHistory;
  /** Bumped by every reload: VS Code's undo stack still holds the edits made before, which no longer apply. */
  private generation = 0;
  /** Saves, reverts and reads after a change on disk run one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  private pendingCheck: Promise<DiskChange> | undefined;
  /** The version on disk a conflict was reported for (asked once per version). */
  private reported: string | undefined;

  private constructor(
    readonly uri: vscode.Uri,
    public model: MaskModel,
    private sourceValue: RegionsSource,
    /** The version of the regions the document was read at (absent: nothing read, e.g. no mask yet). */
    public version: string | undefined,
    private readonly io: MaskFilesIo,
    restored: boolean,
  ) {
    this.history = new EditHistory(restored);
  }

  static async open(uri: vscode.Uri, io: MaskFilesIo, backup?: ReturnType<typeof fromBackup>): Promise<MaskEditorDocument> {
    if (backup) return new MaskEditorDocument(uri, backup.model, backup.source, backup.base, io, true);
    const loaded = await io.load(uri.fsPath);
    return new MaskEditorDocument(uri, modelOf(loaded), loaded.source, loaded.version, io, false);
  }

  get source(): RegionsSource {
    return this.sourceValue;
  }

  /** Another place to read the regions from or save them to: what was read before says nothing about it. */
  set source(source: RegionsSource) {
    this.sourceValue = source;
    this.version = undefined;
    this.sourceChanged.fire(source);
  }

  get width(): number {
    return this.model.width;
  }

  get height(): number {
    return this.model.height;
  }

  /** Edits not saved yet, as VS Code counts them. */
  get dirty(): boolean {
    return this.history.dirty;
  }

  /** The mask files the regions are read from and saved to. */
  files(): string[] {
    const s = this.source;
    if (s.kind === 'mask') return [s.mask];
    if (s.kind === 'dataset') return s.record.regions.map((r) => vscode.Uri.joinPath(vscode.Uri.file(s.root), r.mask).fsPath);
    return [];
  }

  /** Descriptions to offer: the dataset's, and every one the regions already carry. */
  descriptions(): string[] {
    const own = this.model.regions().map((r) => r.description);
    const known = this.source.kind === 'dataset' ? this.source.descriptions : [];
    return [...new Set([...known, ...own].filter((t) => t.trim() !== ''))].sort();
  }

  /** Applies an edit and puts it on VS Code's undo stack as one step. */
  makeEdit(edit: MaskEdit): void {
    this.model.apply(edit);
    this.history.push();
    const generation = this.generation;
    this.edited.fire({ edit, direction: 'apply' });
    this.changed.fire({
      document: this,
      label: edit.label,
      undo: () => {
        this.history.undo();
        if (generation !== this.generation) return;
        this.model.revert(edit);
        this.edited.fire({ edit, direction: 'revert' });
      },
      redo: () => {
        this.history.redo();
        if (generation !== this.generation) return;
        this.model.apply(edit);
        this.edited.fire({ edit, direction: 'apply' });
      },
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Saves at the version read; a refusal because the regions moved on (a 'stale' server error) is the caller's to resolve. */
  save(): Promise<void> {
    return this.serial(async () => {
      const position = this.history.position;
      const saved = await this.io.save(this);
      this.replaceSource(saved.source);
      this.version = saved.version;
      this.reported = undefined;
      this.history.saved(position);
    });
  }

  /** Saves the regions into another mask file (a binary or class-id PNG). */
  async saveAs(target: vscode.Uri): Promise<void> {
    const previous = { source: this.source, version: this.version };
    const classNames = previous.source.kind === 'mask' ? previous.source.classNames : undefined;
    this.sourceValue = { kind: 'mask', mask: target.fsPath, defect: '', object: '', ...(classNames ? { classNames } : {}) };
    this.version = undefined;
    try {
      await this.serial(() => this.io.save(this));
    } finally {
      this.sourceValue = previous.source;
      this.version = previous.version;
    }
  }

  /** The user chose to write over the change on disk at `version`: the next save is based on it. */
  overwrite(version: string): void {
    this.version = version;
  }

  /** VS Code's revert: the regions on disk, the unsaved edits dropped. */
  revert(): Promise<void> {
    return this.serial(async () => {
      this.replace(await this.load());
      this.history.reverted();
    });
  }

  /** The regions read again from where they live (another mask chosen), without touching the edit history. */
  reload(): Promise<void> {
    return this.serial(async () => this.replace(await this.load()));
  }

  /** The regions on disk in place of the unsaved edits, inside a save that then marks them saved. */
  takeDisk(): Promise<void> {
    return this.serial(async () => {
      this.replace(await this.load());
      this.history.saved();
    });
  }

  /**
   * The regions changed on disk (or may have): they are read again after any save under way.
   * No unsaved edit: the document takes them.  Unsaved edits: a conflict, reported once per version.
   */
  diskChanged(): Promise<DiskChange> {
    this.pendingCheck ??= this.serial(async (): Promise<DiskChange> => {
      this.pendingCheck = undefined;
      if (this.source.kind === 'none') return { kind: 'none' };
      const disk = await this.load();
      if (disk.version !== undefined && disk.version === this.version) return { kind: 'none' };
      if (!this.history.dirty) {
        this.replace(disk);
        return { kind: 'reloaded' };
      }
      if (disk.version === undefined || disk.version === this.reported) return { kind: 'none' };
      this.reported = disk.version;
      return { kind: 'conflict', version: disk.version };
    });
    return this.pendingCheck;
  }

  private load(): Promise<LoadRegionsResult> {
    return this.io.load(this.uri.fsPath, this.source.kind === 'mask' ? this.source.mask : undefined);
  }

  private replaceSource(source: RegionsSource): void {
    const moved = JSON.stringify(sourceKey(source)) !== JSON.stringify(sourceKey(this.sourceValue));
    this.sourceValue = source;
    if (moved) this.sourceChanged.fire(source);
  }

  private replace(loaded: LoadRegionsResult): void {
    this.model = modelOf(loaded);
    this.replaceSource(loaded.source);
    this.version = loaded.version;
    this.reported = undefined;
    this.generation++;
    this.reset.fire();
  }

  /** The hot-exit backup of the current state. */
  backup(): string {
    return toBackup(this.uri.fsPath, this.source, this.model, this.version);
  }

  dispose(): void {
    this.disposed.fire();
    for (const e of [this.changed, this.edited, this.reset, this.sourceChanged, this.disposed]) e.dispose();
  }
}

/** Where the regions live, without what they hold: a dataset folder or a mask file. */
export function sourceKey(source: RegionsSource): { dataset: string } | { mask: string } | undefined {
  if (source.kind === 'dataset') return { dataset: source.root };
  if (source.kind === 'mask') return { mask: source.mask };
  return undefined;
}

function modelOf(loaded: LoadRegionsResult): MaskModel {
  return new MaskModel(loaded.width, loaded.height, decodeLabels(loaded.labels, loaded.width * loaded.height), loaded.regions);
}
