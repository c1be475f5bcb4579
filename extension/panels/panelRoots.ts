// The allowed places of panelFolders.ts in this window: the workspace folders on disk and the
// folders this workspace's commands opened a panel on (kept in its workspace state).
import * as vscode from 'vscode';
import { confinedFolder, rememberFolder } from './panelFolders';

const KEY = 'anomalyLens.panelFolders';

export function panelRoots(context: vscode.ExtensionContext): string[] {
  const workspace = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  return [...workspace, ...context.workspaceState.get<string[]>(KEY, [])];
}

/** A folder a command (or the user, in a dialog) chose: panels may reopen it after a reload. */
export function allowPanelFolder(context: vscode.ExtensionContext, folder: string): void {
  if (confinedFolder(folder, panelRoots(context))) return;
  void context.workspaceState.update(KEY, rememberFolder(context.workspaceState.get<string[]>(KEY, []), folder));
}

/** `given` (from a webview's state or a file) when it lies in an allowed place, else undefined. */
export function allowedFolder(context: vscode.ExtensionContext, given: unknown): string | undefined {
  return confinedFolder(given, panelRoots(context));
}
