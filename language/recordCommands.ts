// The commands behind the code lenses and hover links of split-file records.
import * as vscode from 'vscode';
import { scanJson } from '../server/datasetText/jsonScanner';
import { SplitRecord } from '../server/datasetText/parseSplitFile';
import { recordImageAt } from './recordImage';

async function recordEditor(uri: unknown, line: unknown): Promise<vscode.TextEditor | undefined> {
  if (typeof uri !== 'string' || typeof line !== 'number') return undefined;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  if (line < 0 || line >= document.lineCount) return undefined;
  return vscode.window.showTextDocument(document, { preserveFocus: false });
}

/** Shows the record's hover (thumbnail and predictions) at the record on `line`. */
export async function describeRecord(uri: unknown, line: unknown, region?: unknown): Promise<void> {
  const editor = await recordEditor(uri, line);
  if (!editor || typeof line !== 'number') return;
  // The hover of one region shows where the cursor is inside its object.
  const { node } = typeof region === 'number' ? scanJson(editor.document.lineAt(line).text) : { node: undefined };
  const regionStart = node && typeof region === 'number' ? new SplitRecord(line, node).regions[region]?.range.start.character : undefined;
  const character = regionStart === undefined ? 0 : regionStart + 1;
  const position = new vscode.Position(line, character);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  // From a code lens the click is still being handled, and a hover shown now would close with it.
  await new Promise((resolve) => setTimeout(resolve, 150));
  // A hover still open (the one whose link ran this) would only be focused: close it first.
  await vscode.commands.executeCommand('editor.action.hideHover');
  await vscode.commands.executeCommand('editor.action.showHover');
}

export async function openRecordInMaskEditor(openMaskEditor: (image: string) => Promise<void>, uri: unknown, line: unknown): Promise<void> {
  const editor = await recordEditor(uri, line);
  if (!editor || typeof line !== 'number') return;
  const image = recordImageAt(editor.document.fileName, editor.document.lineAt(line).text);
  if (!image) {
    void vscode.window.showWarningMessage(`Anomaly Lens: line ${line + 1} of ${editor.document.fileName} names no image inside the dataset folder.`);
    return;
  }
  await openMaskEditor(image);
}
