// The workspace's files as the views and commands read them (through VS Code's file system), and
// the names the views give the folders they find.
import * as path from 'node:path';
import * as vscode from 'vscode';

/** What the views never look into when they search the workspace (plus any `extra` folder names). */
export function excludedFolders(...extra: string[]): string {
  return `**/{${['node_modules', '.git', ...extra, '.anomaly-lens'].join(',')}}/**`;
}

export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** A folder's name in a view: relative to the workspace (with its workspace folder when there are several), else `outside`. */
export function workspaceName(folder: vscode.Uri, outside: string = path.basename(folder.fsPath)): string {
  const relative = vscode.workspace.asRelativePath(folder, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  return relative && relative !== folder.fsPath ? relative : outside;
}
