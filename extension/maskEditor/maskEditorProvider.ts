// "Anomaly Lens Mask Editor": a custom editor for images (an `option` editor beside the built-in
// preview).  The host owns the document; the webview draws it and proposes edits; saving, revert
// and hot-exit backups never depend on the webview.  Mask files are read and written by the child
// server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LoadRegionsRequest, SaveRegionsRequest, DescribeRegionsRequest } from '../../server/rpc/protocol';
import { encodeLabels, encodePixels } from '../../server/editor/labelsCodec';
import type { ServerHost } from '../server/host';
import { MaskEditorDocument, type MaskFilesIo } from './maskDocument';
import { fromBackup } from '../../server/editor/backup';
import { recordImageAt } from './recordImage';
import { MaskEditorPanel } from './maskEditorPanel';
import { regionLabels } from './regionLabels';

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
let openProvider: MaskEditorProvider | undefined;

/**
 * Opens an image (a URI, a path, a tree node, or `{ image, region }` with the region's index in
 * its record) in the mask editor, selecting that region.
 */
export async function openMaskEditor(arg?: unknown): Promise<void> {
  const given = arg as { image?: unknown; resourceUri?: unknown; region?: unknown } | undefined;
  const uri =
    arg instanceof vscode.Uri ? arg
    : typeof arg === 'string' ? vscode.Uri.file(arg)
    : typeof given?.image === 'string' ? vscode.Uri.file(given.image)
    : given?.resourceUri instanceof vscode.Uri ? given.resourceUri
    : recordUnderCursor() ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Images: ['png', 'jpg', 'jpeg', 'bmp', 'tif', 'tiff'] } }))?.[0];
  if (!uri) return;
  const region = typeof given?.region === 'number' ? given.region + 1 : undefined;
  if (region !== undefined) selectOnOpen.set(uri.fsPath, region);
  await vscode.commands.executeCommand('vscode.openWith', uri, MASK_EDITOR_VIEW_TYPE);
  // Already open: the editor is only revealed, so select the region there.
  if (region !== undefined) openProvider?.select(uri.fsPath, region);
}

export class MaskEditorProvider implements vscode.CustomEditorProvider<MaskEditorDocument> {
  private readonly changed = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<MaskEditorDocument>>();
  readonly onDidChangeCustomDocument = this.changed.event;
  private readonly panels = new Map<MaskEditorDocument, MaskEditorPanel>();
  /** Files this editor is writing now: their change events are our own. */
  private readonly saving = new Set<string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly server: ServerHost,
    /** The bundle Describe uses (the default-bundle setting, else the embedded default). */
    private readonly bundle: () => string | undefined,
  ) {}

  static register(context: vscode.ExtensionContext, server: ServerHost, bundle: () => string | undefined): vscode.Disposable {
    openProvider = new MaskEditorProvider(context, server, bundle);
    return vscode.window.registerCustomEditorProvider(MASK_EDITOR_VIEW_TYPE, openProvider, {
      supportsMultipleEditorsPerDocument: false,
      webviewOptions: { retainContextWhenHidden: false },
    });
  }

  select(image: string, region: number): void {
    for (const [document, panel] of this.panels) {
      if (document.uri.fsPath === image) {
        panel.select(region);
        selectOnOpen.delete(image);
      }
    }
  }

  private io(): MaskFilesIo {
    return {
      load: async (image, mask) => (await this.server.get()).request(LoadRegionsRequest, { image, ...(mask ? { mask } : {}) }),
      save: async (document) => {
        const client = this.server.get();
        const files = document.files();
        files.forEach((f) => this.saving.add(f));
        try {
          return await client.request(SaveRegionsRequest, {
            image: document.uri.fsPath,
            source: document.source,
            width: document.width,
            height: document.height,
            labels: encodeLabels(document.model.labels),
            regions: document.model.regions(),
          newClasses: regionLabels.newClasses(document.source),
          });
        } finally {
          setTimeout(() => files.forEach((f) => this.saving.delete(f)), 1000);
        }
      },
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

  /** Someone else changing the mask files: offer to reload (a change by our own save is ignored). */
  private watch(document: MaskEditorDocument): void {
    const watchers = document.files().map((file) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
      const onChange = () => {
        if (this.saving.has(file)) return;
        void vscode.window
          .showWarningMessage(`${path.basename(file)} changed on disk. Reload the regions of ${path.basename(document.uri.fsPath)}?`, 'Reload', 'Keep mine')
          .then((choice) => (choice === 'Reload' ? document.revert() : undefined));
      };
      watcher.onDidChange(onChange);
      watcher.onDidDelete(onChange);
      return watcher;
    });
    document.onDidDispose(() => watchers.forEach((w) => w.dispose()));
  }

  async resolveCustomEditor(document: MaskEditorDocument, panel: vscode.WebviewPanel): Promise<void> {
    const editor = new MaskEditorPanel(this.context, document, panel, {
      describe: async (region, topK) => {
        const started = Date.now();
        const pixels = document.model.pixelsOf(region);
        if (pixels.length === 0) throw new Error(`region ${region} has no pixels to describe`);
        const bundle = this.bundle();
        const result = await this.server.get().request(DescribeRegionsRequest, { image: document.uri.fsPath, pixels: [encodePixels(pixels)], topK, ...(bundle ? { bundle } : {}) });
        return { region, ranking: result.regions[0]?.ranking ?? [], bundle: result.bundle, ms: Date.now() - started };
      },
      chooseMask: async () => {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: false, defaultUri: vscode.Uri.file(path.dirname(document.uri.fsPath)), filters: { Masks: ['png', 'bmp', 'tif', 'tiff'] } });
        if (!picked?.[0]) return;
        document.source = { kind: 'mask', mask: picked[0].fsPath, defect: '', object: '' };
        await document.revert();
      },
    }, selectOnOpen.get(document.uri.fsPath));
    selectOnOpen.delete(document.uri.fsPath);
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
    await document.save();
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
