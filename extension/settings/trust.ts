// Restricted Mode: commands that run Python, call an LLM, build, train or start the server are
// disabled in their menus (`isWorkspaceTrusted`) and refused here when called anyway.
import * as vscode from 'vscode';

export class UntrustedWorkspaceError extends Error {
  constructor(action: string) {
    super(`${action} runs code on this workspace's files, which Restricted Mode does not allow. Trust the workspace to use it.`);
    this.name = 'UntrustedWorkspaceError';
  }
}

/** Throws UntrustedWorkspaceError (after offering to manage trust) in Restricted Mode. */
export async function requireTrust(action: string): Promise<void> {
  if (vscode.workspace.isTrusted) return;
  const error = new UntrustedWorkspaceError(action);
  const manage = 'Manage Workspace Trust';
  void vscode.window.showErrorMessage(`Anomaly Lens: ${error.message}`, manage).then((answer) => {
    if (answer === manage) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  throw error;
}
