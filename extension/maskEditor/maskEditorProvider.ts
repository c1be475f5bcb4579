// "Anomaly Lens Mask Editor": a custom editor for images (an `option` editor beside the built-in
// preview).  The host owns the document; the webview draws it and proposes edits; saving, revert
// and hot-exit backups never depend on the webview.  Mask files are read and written by the child
// server.  When the regions change on disk (another editor, the Review view, a build, a split file
// saved, another program), an editor without unsaved edits shows them at once; one with unsaved
// edits asks, as VS Code does for a text file: revert to the regions on disk, or overwrite them.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LoadRegionsRequest, SaveRegionsRequest, DescribeRegionsRequest } from '../../server/rpc/protocol';
import { ServerRequestError } from '../client/errors';
import type { DatasetChanges } from '../datasets/datasetChanges';
import { encodeLabelMap, encodePixels } from '../../server/editor/labelsCodec';
import { type ServerHost, currentSettings } from '../client/host';
import { DEFAULT_UNCERTAIN_BELOW, isUncertain } from '../../server/model/confidence';
import { MaskEditorDocument, sourceKey, type MaskFilesIo } from './maskDocument';
import { fromBackup } from '../../server/editor/backup';
import { recordImageAt } from '../../language/recordImage';
import { MaskEditorPanel } from './maskEditorPanel';
import { regionLabels } from './regionLabels';
import type { ReviewNote } from '../../webviews/maskEditor/messages';
import { IMAGE_PREVIEW_VIEW_TYPE, activeImageTab } from './activeImage';

export const MASK_EDITOR_VIEW_TYPE = 'anomalyLens.maskEditor';

/** In a split file (`*.jsonl`), the image of the record on the cursor's line. */
function recordUnderCursor(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !editor.document.fileName.endsWith('.jsonl')) return undefined;
  const file = recordImageAt(editor.document.fileName, editor.document.lineAt(editor.selection.active.line).text);
  return file ? vscode.Uri.file(file) : undefined;
}

/** Regions to select in editors about to open, by image path (set by openMaskEditor's `region`). */
const selectOnOpen = new Map<string, number>();
/** What Review Labels found of the region to select, by image path (set by openMaskEditor's `review`). */
const reviewOnOpen = new Map<string, ReviewNote>();
let openProvider: MaskEditorProvider | undefined;

/** Closes VS Code's image previews of `uri` (the image was reopened in the mask editor). */
async function closePreviews(uri: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === IMAGE_PREVIEW_VIEW_TYPE && t.input.uri.toString() === uri.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs, true).then(undefined, () => undefined);
}

/** Where the regions live, for the question about a change there. */
function changedWhere(document: MaskEditorDocument): string {
  const s = document.source;
  return s.kind === 'dataset' ? `the record in ${path.join(path.basename(s.root), `${s.split}.jsonl`)}` : s.kind === 'mask' ? path.basename(s.mask) : 'no mask';
}

/** The note of openMaskEditor's `review` ({ truth, model, bundle }) for the region with id `region`. */
function reviewNoteOf(review: unknown, region: number | undefined): ReviewNote | undefined {
  const r = review as { truth?: unknown; model?: unknown; bundle?: unknown; uncertain?: unknown } | undefined;
  if (region === undefined || typeof r !== 'object' || r === null || typeof r.truth !== 'string' || typeof r.bundle !== 'string' || !Array.isArray(r.model)) return undefined;
  const model = (r.model as { text?: unknown; probability?: unknown }[]).filter((m) => typeof m?.text === 'string' && typeof m.probability === 'number') as ReviewNote['model'];
  // The setting's threshold, when set, rules over the one the review was made with.
  const threshold = currentSettings().uncertainBelow;
  const uncertain = threshold !== null ? isUncertain(model, threshold) : r.uncertain === true;
  return { region, truth: r.truth, model, bundle: r.bundle, ...(uncertain ? { uncertain: true } : {}) };
}

/**
 * Opens an image in the mask editor: a URI, a path, a tree node, or `{ image, region, review? }`
 * with the region's index in its record (selected) and what Review Labels found of it (shown
 * beside the regions); with none, the record under the cursor of a split file, else the image
 * of the active image preview, else one asked for.
 */
export async function openMaskEditor(arg?: unknown): Promise<void> {
  const given = arg as { image?: unknown; resourceUri?: unknown; region?: unknown; review?: unknown } | undefined;
  const named =
    arg instanceof vscode.Uri ? arg
    : typeof arg === 'string' ? vscode.Uri.file(arg)
    : typeof given?.image === 'string' ? vscode.Uri.file(given.image)
    : given?.resourceUri instanceof vscode.Uri ? given.resourceUri
    : recordUnderCursor();
  // The image in VS Code's preview is reopened in the mask editor, as Reopen Editor With does.
  const preview = named ? undefined : activeImageTab([IMAGE_PREVIEW_VIEW_TYPE]);
  const uri = named ?? preview?.uri ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Images: ['png', 'jpg', 'jpeg', 'bmp', 'tif', 'tiff'] } }))?.[0];
  if (!uri) return;
  const region = typeof given?.region === 'number' ? given.region + 1 : undefined;
  const review = reviewNoteOf(given?.review, region);
  if (region !== undefined) selectOnOpen.set(uri.fsPath, region);
  if (review) reviewOnOpen.set(uri.fsPath, review);
  await vscode.commands.executeCommand('vscode.openWith', uri, MASK_EDITOR_VIEW_TYPE, preview ? { viewColumn: preview.tab.group.viewColumn } : undefined);
  if (preview) await closePreviews(uri);
  // Already open: the editor is only revealed, so select the region there.
  if (region !== undefined) openProvider?.select(uri.fsPath, region, review);
}

export class MaskEditorProvider implements vscode.CustomEditorProvider<MaskEditorDocument> {
  private readonly changed = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<MaskEditorDocument>>();
  readonly onDidChangeCustomDocument = this.changed.event;
  private readonly panels = new Map<MaskEditorDocument, MaskEditorPanel>();
  /** The question open for a document whose regions changed on disk under unsaved edits (one at a time). */
  private readonly asking = new Map<MaskEditorDocument, Thenable<'Overwrite' | 'Revert' | undefined>>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly server: ServerHost,
    /** The bundle Describe uses (the default-bundle setting, else the embedded default). */
    private readonly bundle: () => string | undefined,
    private readonly changes: DatasetChanges,
  ) {}

  static register(context: vscode.ExtensionContext, server: ServerHost, bundle: () => string | undefined, changes: DatasetChanges): vscode.Disposable {
    openProvider = new MaskEditorProvider(context, server, bundle, changes);
    return vscode.window.registerCustomEditorProvider(MASK_EDITOR_VIEW_TYPE, openProvider, {
      supportsMultipleEditorsPerDocument: false,
      webviewOptions: { retainContextWhenHidden: false },
    });
  }

  select(image: string, region: number, review?: ReviewNote): void {
    for (const [document, panel] of this.panels) {
      if (document.uri.fsPath === image) {
        panel.select(region);
        if (review) panel.showReview(review);
        selectOnOpen.delete(image);
        reviewOnOpen.delete(image);
      }
    }
  }

  private io(): MaskFilesIo {
    return {
      load: async (image, mask) => (await this.server.get()).request(LoadRegionsRequest, { image, ...(mask ? { mask } : {}) }),
      save: (document) =>
        this.server.get().request(SaveRegionsRequest, {
          image: document.uri.fsPath,
          source: document.source,
          width: document.width,
          height: document.height,
          labels: encodeLabelMap(document.model.labels),
          regions: document.model.regions(),
          newClasses: regionLabels.newClasses(document.source),
          ...(document.version !== undefined ? { version: document.version } : {}),
        }),
    };
  }

  async openCustomDocument(uri: vscode.Uri, context: vscode.CustomDocumentOpenContext): Promise<MaskEditorDocument> {
    let backup;
    if (context.backupId) {
      backup = fromBackup(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.parse(context.backupId))).toString('utf8'));
    }
    const document = await MaskEditorDocument.open(uri, this.io(), backup);
    document.onDidChange((e) => this.changed.fire(e));
    this.watch(document);
    return document;
  }

  /**
   * Follows the files the document's regions live in (its dataset, or its mask file), through the
   * one watcher every view of a dataset shares; its own saves are told apart by their version.
   */
  private watch(document: MaskEditorDocument): void {
    const subscribe = () => {
      const key = sourceKey(document.source);
      if (!key) return undefined;
      const onChange = () => void this.diskChanged(document);
      return 'dataset' in key ? this.changes.onDatasetChange(key.dataset, onChange) : this.changes.onFileChange(key.mask, onChange);
    };
    let subscription = subscribe();
    const moved = document.onDidChangeSource(() => {
      subscription?.dispose();
      subscription = subscribe();
    });
    document.onDidDispose(() => {
      moved.dispose();
      subscription?.dispose();
    });
  }

  private async diskChanged(document: MaskEditorDocument): Promise<void> {
    let change;
    try {
      change = await document.diskChanged();
    } catch (err) {
      this.server.channel.warn(`the regions of ${document.uri.fsPath} changed on disk and could not be read again: ${(err as Error).message}`);
      return;
    }
    if (change.kind !== 'conflict') return;
    const choice = await this.ask(document, `The regions of ${path.basename(document.uri.fsPath)} changed on disk (${changedWhere(document)}), and you have unsaved edits. Revert to the regions on disk, or overwrite them with yours?`);
    if (choice === 'Overwrite') {
      document.overwrite(change.version);
      await vscode.workspace.save(document.uri);
    } else if (choice === 'Revert') {
      await this.revertInVsCode(document);
    }
  }

  /** One question per document at a time: a second asker (an auto-save, say) waits for the same answer. */
  private ask(document: MaskEditorDocument, message: string): Thenable<'Overwrite' | 'Revert' | undefined> {
    let question = this.asking.get(document);
    if (!question) {
      question = vscode.window.showWarningMessage(message, 'Revert', 'Overwrite');
      this.asking.set(document, question);
      const done = () => void this.asking.delete(document);
      question.then(done, done);
    }
    return question;
  }

  /** Reverts through VS Code, so that it counts the editor as saved; the document must be the active editor for that. */
  private async revertInVsCode(document: MaskEditorDocument): Promise<void> {
    await vscode.commands.executeCommand('vscode.openWith', document.uri, MASK_EDITOR_VIEW_TYPE);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    const active = tab?.input instanceof vscode.TabInputCustom && tab.input.viewType === MASK_EDITOR_VIEW_TYPE && tab.input.uri.toString() === document.uri.toString();
    if (active) await vscode.commands.executeCommand('workbench.action.files.revert');
    else await document.revert();
  }

  async resolveCustomEditor(document: MaskEditorDocument, panel: vscode.WebviewPanel): Promise<void> {
    const editor = new MaskEditorPanel(this.context, document, panel, {
      describe: async (region, topK) => {
        const started = Date.now();
        const pixels = document.model.pixelsOf(region);
        if (pixels.length === 0) throw new Error(`region ${region} has no pixels to describe`);
        const bundle = this.bundle();
        const result = await this.server.get().request(DescribeRegionsRequest, { image: document.uri.fsPath, pixels: [encodePixels(pixels)], topK, ...(bundle ? { bundle } : {}) });
        const ranking = result.regions[0]?.ranking ?? [];
        const uncertainBelow = currentSettings().uncertainBelow ?? result.uncertainBelow ?? DEFAULT_UNCERTAIN_BELOW;
        return { region, ranking, bundle: result.bundle, ms: Date.now() - started, uncertain: isUncertain(ranking, uncertainBelow) };
      },
      chooseMask: async () => {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: false, defaultUri: vscode.Uri.file(path.dirname(document.uri.fsPath)), filters: { Masks: ['png', 'bmp', 'tif', 'tiff'] } });
        if (!picked?.[0]) return;
        document.source = { kind: 'mask', mask: picked[0].fsPath, defect: '', object: '' };
        await document.reload();
      },
    }, selectOnOpen.get(document.uri.fsPath));
    selectOnOpen.delete(document.uri.fsPath);
    const review = reviewOnOpen.get(document.uri.fsPath);
    if (review) editor.showReview(review);
    reviewOnOpen.delete(document.uri.fsPath);
    this.panels.set(document, editor);
    panel.onDidDispose(() => this.panels.delete(document));
  }

  async saveCustomDocument(document: MaskEditorDocument): Promise<void> {
    if (document.source.kind === 'none') {
      const stem = path.basename(document.uri.fsPath, path.extname(document.uri.fsPath));
      const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(path.join(path.dirname(document.uri.fsPath), `${stem}_mask.png`)), filters: { PNG: ['png'] } });
      if (!target) throw new vscode.CancellationError();
      document.source = { kind: 'mask', mask: target.fsPath, defect: '', object: '' };
    }
    await this.saveAtVersion(document);
  }

  /**
   * Saves; when the regions moved on since the document read them, asks: overwrite them with the
   * document's (saved over the version now on disk), or revert to them (the save then leaves the
   * document as on disk).  No answer: the save fails and the edits stay unsaved.
   */
  private async saveAtVersion(document: MaskEditorDocument): Promise<void> {
    for (;;) {
      try {
        await document.save();
        return;
      } catch (err) {
        if (!(err instanceof ServerRequestError && err.kind === 'stale' && err.current)) throw err;
        const choice = await this.ask(document, `Failed to save ${path.basename(document.uri.fsPath)}: its regions changed on disk since they were read (${changedWhere(document)}). Overwrite them with yours, or revert to the regions on disk?`);
        if (choice === 'Overwrite') document.overwrite(err.current);
        else if (choice === 'Revert') return document.takeDisk();
        else throw err;
      }
    }
  }

  async saveCustomDocumentAs(document: MaskEditorDocument, destination: vscode.Uri): Promise<void> {
    await document.saveAs(destination);
  }

  async revertCustomDocument(document: MaskEditorDocument): Promise<void> {
    await document.revert();
  }

  async backupCustomDocument(document: MaskEditorDocument, context: vscode.CustomDocumentBackupContext): Promise<vscode.CustomDocumentBackup> {
    await vscode.workspace.fs.writeFile(context.destination, Buffer.from(document.backup()));
    return {
      id: context.destination.toString(),
      delete: () => void vscode.workspace.fs.delete(context.destination).then(undefined, () => undefined),
    };
  }
}
