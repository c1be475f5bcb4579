// One mask editor webview: its page (the image readable through asWebviewUri, nothing else but
// the built bundle), and the messages between it and the document.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { decodeEdit, encodeEdit } from '../../server/editor/maskDocument/editCodec';
import { encodeLabelMap } from '../../server/editor/labelsCodec';
import type { DescribeReply, EditorState, MaskEditorEvent, MaskEditorRequests, ReviewNote } from '../../webviews/maskEditor/messages';
import type { Handlers } from '../../webviews/protocol';
import { bundlesUri, serveWebview } from '../panels/panelHost';
import { makeNonce, webviewHtml } from '../panels/webviewHtml';
import type { MaskEditorDocument } from './maskDocument';
import { classSuggestions } from '../../server/editor/regionLabels';
import { regionLabels } from './regionLabels';

export interface PanelActions {
  describe(region: number, topK: number): Promise<DescribeReply>;
  chooseMask(): Promise<void>;
}

export class MaskEditorPanel {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly post: (event: MaskEditorEvent) => void;
  /** What Review Labels found of the region the editor was opened on. */
  private reviewNote: ReviewNote | undefined;

  constructor(
    context: vscode.ExtensionContext,
    private readonly document: MaskEditorDocument,
    private readonly panel: vscode.WebviewPanel,
    private readonly actions: PanelActions,
    /** A region to select when the webview first loads. */
    private initialSelect?: number,
  ) {
    const webview = panel.webview;
    const imageFolder = vscode.Uri.file(path.dirname(document.uri.fsPath));
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [bundlesUri(context.extensionUri), imageFolder] };
    const base = bundlesUri(context.extensionUri);
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      title: path.basename(document.uri.fsPath),
      script: webview.asWebviewUri(vscode.Uri.joinPath(base, 'maskEditor.js')).toString(),
      style: webview.asWebviewUri(vscode.Uri.joinPath(base, 'maskEditor.css')).toString(),
    });
    this.post = serveWebview<MaskEditorRequests, MaskEditorEvent>(panel, this.handlers(), this.disposables);
    this.disposables.push(
      document.onDidEdit(({ edit, direction }) => this.post({ kind: 'edit', edit: encodeEdit(edit), direction })),
      document.onDidReset(() => this.post({ kind: 'state', state: this.state() })),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private state(): EditorState {
    const d = this.document;
    return {
      width: d.width,
      height: d.height,
      imageUri: this.panel.webview.asWebviewUri(d.uri).toString(),
      labels: encodeLabelMap(d.model.labels),
      regions: d.model.regions(),
      descriptions: classSuggestions(regionLabels.classesOf(d.source), d.model.regions()),
      classes: regionLabels.classesOf(d.source),
      files: d.files(),
      ...(this.initialSelect !== undefined ? { select: this.initialSelect } : {}),
      ...(this.reviewNote ? { review: this.reviewNote } : {}),
    };
  }

  /** Shows what Review Labels found of a region beside the regions. */
  showReview(note: ReviewNote): void {
    this.reviewNote = note;
    this.post({ kind: 'review', note });
  }

  /** Selects a region in the open editor. */
  select(region: number): void {
    this.initialSelect = region;
    this.post({ kind: 'select', region });
  }

  private handlers(): Handlers<MaskEditorRequests> {
    return {
      ready: () => this.state(),
      edit: (request) => {
        const edit = decodeEdit(request.edit, this.document.width * this.document.height);
        // The webview shows the stroke at once and takes the edit into its model when onDidEdit sends it back.
        this.document.makeEdit(edit);
        if ((edit.kind === 'create' || edit.kind === 'describe') && edit.regionsAfter.length === 1) regionLabels.used(this.document.source, edit.regionsAfter[0]);
        return null;
      },
      undo: async () => {
        await vscode.commands.executeCommand('undo');
        return null;
      },
      redo: async () => {
        await vscode.commands.executeCommand('redo');
        return null;
      },
      describe: (request) => this.actions.describe(request.region, request.topK ?? 5),
      newRegionLabel: async () => (await regionLabels.forNewRegion(this.document.source)) ?? null,
      newClass: async (request) => (await regionLabels.confirmNewClass(this.document.source, String(request.description))) ?? null,
      chooseMask: async () => {
        await this.actions.chooseMask();
        return null;
      },
    };
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
