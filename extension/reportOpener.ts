// Opens an evaluation report folder: its report.md in the Markdown preview (the report webview
// replaces this once it is registered).
import * as path from 'node:path';
import * as vscode from 'vscode';

export async function openReportFolder(folder: string): Promise<void> {
  const md = vscode.Uri.file(path.join(folder, 'report.md'));
  try {
    await vscode.workspace.fs.stat(md);
  } catch {
    void vscode.window.showErrorMessage(`Anomaly Lens: ${folder} holds no report.md.`);
    return;
  }
  await vscode.commands.executeCommand('markdown.showPreview', md);
}
