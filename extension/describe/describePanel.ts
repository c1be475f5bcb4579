// Describe Region's result panel: one per image, kept open until closed; describing the same
// image again shows the new result in it. The webview reads no file: the host posts the picture
// (a data: URL the child server drew) and the answers.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DESCRIBE_VIEW_TYPE, type DescribeEvent, type DescribeRequests, type DescribeView } from '../../webviews/describe/messages';
import { loadPage, panelOptions, serveWebview } from '../panels/panelHost';

interface OpenPanel {
  panel: vscode.WebviewPanel;
  view: DescribeView;
  editorRegions: boolean;
  post: (event: DescribeEvent) => void;
}

const open = new Map<string, OpenPanel>();

/**
 * Shows `view`, the result of describing `image`, in that image's panel (opened beside the active
 * editor when there is none). `editorRegions`: its regions are numbered as the mask editor numbers
 * the image's regions, so a region can be selected there.
 */
export function showDescribeResult(context: vscode.ExtensionContext, image: string, view: DescribeView, options: { editorRegions: boolean }): vscode.WebviewPanel {
  const existing = open.get(image);
  if (existing) {
    existing.view = view;
    existing.editorRegions = options.editorRegions;
    existing.post({ kind: 'result', view });
    existing.panel.reveal(undefined, true);
    return existing.panel;
  }
  const title = `Describe: ${path.basename(image)}`;
  const panel = vscode.window.createWebviewPanel(DESCRIBE_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, panelOptions(context.extensionUri));
  loadPage(panel, context.extensionUri, 'describe', title);
  const disposables: vscode.Disposable[] = [];
  const entry: OpenPanel = { panel, view, editorRegions: options.editorRegions, post: () => undefined };
  entry.post = serveWebview<DescribeRequests, DescribeEvent>(
    panel,
    {
      ready: () => entry.view,
      openInMaskEditor: async ({ region }) => {
        await vscode.commands.executeCommand('anomalyLens.openMaskEditor', region !== undefined && entry.editorRegions ? { image, region: region - 1 } : vscode.Uri.file(image));
        return null;
      },
    },
    disposables,
  );
  open.set(image, entry);
  panel.onDidDispose(() => {
    if (open.get(image)?.panel === panel) open.delete(image);
    for (const d of disposables) d.dispose();
  });
  return panel;
}
