// Which Python the trainer runs with: the anomalyLens.pythonPath setting (machine scope), else
// the interpreter selected in the Python extension when it is installed, else none (the server
// then searches $ANOMALY_LENS_PYTHON, python3, /usr/bin/python3).
import * as vscode from 'vscode';

interface PythonExtensionApi {
  environments?: { getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined };
}

async function pythonExtensionInterpreter(): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!extension) return undefined;
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const chosen = api?.environments?.getActiveEnvironmentPath(vscode.workspace.workspaceFolders?.[0]?.uri)?.path;
    return chosen || undefined;
  } catch {
    return undefined;
  }
}

export async function resolvePython(configured: string): Promise<string | undefined> {
  if (configured) return configured;
  return pythonExtensionInterpreter();
}
