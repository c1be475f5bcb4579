// Quick fixes of split-file problems: the server sends each problem with its fixes; they are
// offered while the document is still the version they were computed for.
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, type LintController } from './lintController';

export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly lint: LintController) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const result = this.lint.current(document);
    if (!result) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const found = result.diagnostics.find(
        (d) => d.code === diagnostic.code && d.message === diagnostic.message && d.range.start.line === diagnostic.range.start.line && d.range.start.character === diagnostic.range.start.character,
      );
      for (const fix of found?.fixes ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) action.edit.replace(document.uri, new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
        actions.push(action);
      }
    }
    if (actions.length > 0) actions[0].isPreferred = true;
    return actions;
  }
}
