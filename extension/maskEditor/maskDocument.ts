// The mask editor's document on the extension host: it owns the regions (the mask model), applies
// every edit and reports it to VS Code as one undoable step, and saves, reverts and backs up
// without the webview.  Reading and writing the mask files goes through the child server.
import * as vscode from 'vscode';
import { MaskModel } from '../../server/editor/maskDocument/maskModel';
import type { MaskEdit } from '../../server/editor/maskDocument/types';
import type { RegionsSource } from '../../server/editor/regionsTypes';
import { decodeLabels } from '../../server/editor/labelsCodec';
import { fromBackup, toBackup } from '../../server/editor/backup';
import type { LoadRegionsResult } from '../../server/rpc/protocol';

export interface MaskFilesIo {
  load(image: string, mask?: string): Promise<LoadRegionsResult>;
  save(document: MaskEditorDocument): Promise<{ source: RegionsSource; files: string[] }>;
}

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
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;

  private constructor(
    readonly uri: vscode.Uri,
    public model: MaskModel,
    public source: RegionsSource,
    private readonly io: MaskFilesIo,
  ) {}

  static async open(uri: vscode.Uri, io: MaskFilesIo, backup?: ReturnType<typeof fromBackup>): Promise<MaskEditorDocument> {
    if (backup) return new MaskEditorDocument(uri, backup.model, backup.source, io);
    const loaded = await io.load(uri.fsPath);
    return new MaskEditorDocument(uri, modelOf(loaded), loaded.source, io);
  }

  get width(): number {
    return this.model.width;
  }

  get height(): number {
    return this.model.height;
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
    this.edited.fire({ edit, direction: 'apply' });
    this.changed.fire({
      document: this,
      label: edit.label,
      undo: () => {
        this.model.revert(edit);
        this.edited.fire({ edit, direction: 'revert' });
      },
      redo: () => {
        this.model.apply(edit);
        this.edited.fire({ edit, direction: 'apply' });
      },
    });
  }

  async save(): Promise<void> {
    const saved = await this.io.save(this);
    this.source = saved.source;
  }

  /** Saves the regions into another mask file (a binary or class-id PNG). */
  async saveAs(target: vscode.Uri): Promise<void> {
    const previous = this.source;
    const classNames = previous.kind === 'mask' ? previous.classNames : undefined;
    this.source = { kind: 'mask', mask: target.fsPath, defect: '', object: '', ...(classNames ? { classNames } : {}) };
    try {
      await this.save();
    } finally {
      this.source = previous;
    }
  }

  async revert(): Promise<void> {
    const mask = this.source.kind === 'mask' ? this.source.mask : undefined;
    const loaded = await this.io.load(this.uri.fsPath, mask);
    this.model = modelOf(loaded);
    this.source = loaded.source;
    this.reset.fire();
  }

  /** The hot-exit backup of the current state. */
  backup(): string {
    return toBackup(this.uri.fsPath, this.source, this.model);
  }

  dispose(): void {
    this.disposed.fire();
    for (const e of [this.changed, this.edited, this.reset, this.disposed]) e.dispose();
  }
}

function modelOf(loaded: LoadRegionsResult): MaskModel {
  return new MaskModel(loaded.width, loaded.height, decodeLabels(loaded.labels, loaded.width * loaded.height), loaded.regions);
}
