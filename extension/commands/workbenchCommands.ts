// Select Default Bundle, Set LLM API Key, Cancel Job, Show Server Log.
// Non-interactive: selectDefaultBundle({bundle}) ('' = the embedded model), setLlmApiKey({key}),
// cancelJob({id}) or a run node.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LlmKeyStore } from '../settings/secrets';
import { SECTION, SETTING_KEYS } from '../settings/settings';
import { choicesOf, fsPathOf, pickBundle, workspaceRoot, type Workbench } from './common';

export async function selectDefaultBundle(wb: Workbench, arg?: unknown): Promise<string | undefined> {
  const c = choicesOf(arg);
  const node = arg as { kind?: string; model?: { folder: string; embedded: boolean } } | undefined;
  let folder: string | undefined;
  if (typeof c.bundle === 'string') folder = c.bundle;
  else if (node?.kind === 'model' && node.model) folder = node.model.embedded ? '' : node.model.folder;
  else {
    const picked = await pickBundle(wb, 'default model of Describe Region and Evaluate');
    if (!picked) return undefined;
    folder = picked.folder ?? '';
  }
  const root = workspaceRoot();
  // Inside the workspace the setting holds a relative path, so it travels with the workspace.
  const value = folder && root && !path.relative(root, folder).startsWith('..') ? path.relative(root, folder) || '.' : folder;
  const target = root ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(SECTION).update(SETTING_KEYS.defaultBundle, value, target);
  await wb.models.refresh();
  void vscode.window.setStatusBarMessage(`Anomaly Lens: default model ${value || 'the embedded one'}`, 4000);
  return value;
}

export async function setLlmApiKey(keys: LlmKeyStore, arg?: unknown): Promise<boolean> {
  const c = choicesOf(arg);
  const key =
    typeof c.key === 'string'
      ? c.key
      : await vscode.window.showInputBox({
          title: 'Anomaly Lens: LLM API key',
          prompt: 'Kept in VS Code’s secret storage and given to the Anomaly Lens server only in trusted workspaces. Empty: remove the stored key.',
          password: true,
          ignoreFocusOut: true,
        });
  if (key === undefined) return false;
  await keys.set(key.trim());
  void vscode.window.showInformationMessage(key.trim() ? 'Anomaly Lens: LLM API key stored.' : 'Anomaly Lens: LLM API key removed.');
  return true;
}

export async function cancelJob(wb: Workbench, arg?: unknown): Promise<boolean> {
  const c = choicesOf(arg);
  const node = arg as { job?: { id: string } } | undefined;
  let id = typeof c.id === 'string' ? c.id : node?.job?.id;
  if (!id) {
    await wb.tracker.refresh();
    const active = wb.tracker.active();
    const items: (vscode.QuickPickItem & { id?: string; runs?: boolean })[] = [
      ...active.map((j) => ({ label: `$(close) ${j.title}`, description: j.state, detail: j.progress?.message, id: j.id })),
      { label: '$(list-tree) Show the Runs view', runs: true },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: active.length ? 'Anomaly Lens: cancel a job' : 'Anomaly Lens: no job runs' });
    if (picked?.runs) await vscode.commands.executeCommand('anomalyLens.runs.focus');
    id = picked?.id;
  }
  if (!id) return false;
  await wb.tracker.cancel(id);
  return true;
}

export function showServerLog(wb: Workbench): void {
  wb.host.channel.show(true);
}

export async function revealInExplorer(arg: unknown): Promise<void> {
  const folder = fsPathOf(arg);
  if (folder) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(folder));
}
