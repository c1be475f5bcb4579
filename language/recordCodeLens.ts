// "Describe · Open in Mask Editor" above each record of a split file; the records' lines come
// from the document's last lint.
import * as vscode from 'vscode';
import type { LintController } from './lintController';

export const DESCRIBE_RECORD_COMMAND = 'anomalyLens.describeRecord';
export const OPEN_RECORD_COMMAND = 'anomalyLens.openRecordInMaskEditor';

export class RecordCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly lint: LintController) {
    this.onDidChangeCodeLenses = (listener, thisArg, disposables) => lint.onDidLint(() => listener.call(thisArg), undefined, disposables);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const state = this.lint.last(document);
    if (!state) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const line of state.result.records) {
      if (line >= document.lineCount) continue;
      const range = new vscode.Range(line, 0, line, 0);
      const args = [document.uri.toString(), line];
      lenses.push(
        new vscode.CodeLens(range, { title: 'Describe', tooltip: 'Predict a description of each region with the selected model', command: DESCRIBE_RECORD_COMMAND, arguments: args }),
        new vscode.CodeLens(range, { title: 'Open in Mask Editor', tooltip: "Open the record's image and regions in the mask editor", command: OPEN_RECORD_COMMAND, arguments: args }),
      );
    }
    return lenses;
  }
}
