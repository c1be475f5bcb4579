// Anomaly Lens: Build Dataset — runs `anomaly-lens build` as a task (its output in a
// terminal), then refreshes the Datasets view.  It runs code on the user's files, so it is
// refused in Restricted Mode.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildArguments, nodeRuntime } from '../build/cliInvocation';
import type { DatasetTreeProvider } from '../datasetTree/provider';

export interface BuildDatasetArgs {
  source?: vscode.Uri;
  output?: vscode.Uri;
}

async function askSource(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    title: 'Anomaly Lens: source anomaly dataset (MVTec AD, VisA, AnomalyDiffusion or a folder layout)',
    openLabel: 'Use as Source',
  });
  return picked?.[0];
}

async function askOutput(source: vscode.Uri): Promise<vscode.Uri | undefined> {
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? path.dirname(source.fsPath);
  const suggestion = path.join(base, 'datasets', path.basename(source.fsPath));
  const value = await vscode.window.showInputBox({
    title: 'Anomaly Lens: output folder of the dataset',
    value: suggestion,
    valueSelection: [suggestion.length - path.basename(suggestion).length, suggestion.length],
    validateInput: (text) => {
      if (!path.isAbsolute(text)) return 'Enter an absolute folder path.';
      const rel = path.relative(source.fsPath, text);
      if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return 'The dataset must not be written inside its source.';
      return undefined;
    },
  });
  return value ? vscode.Uri.file(value) : undefined;
}

/** Starts the task and resolves to its process's exit code (undefined when it was stopped). */
async function runTask(task: vscode.Task): Promise<number | undefined> {
  const ended: vscode.TaskProcessEndEvent[] = [];
  let onEnd: ((event: vscode.TaskProcessEndEvent) => void) | undefined;
  const subscription = vscode.tasks.onDidEndTaskProcess((event) => (onEnd ? onEnd(event) : ended.push(event)));
  try {
    const execution = await vscode.tasks.executeTask(task);
    return await new Promise((resolve) => {
      onEnd = (event) => {
        if (event.execution === execution) resolve(event.exitCode);
      };
      ended.forEach(onEnd);
    });
  } finally {
    subscription.dispose();
  }
}

/** Resolves to the CLI's exit code, or undefined when nothing ran. */
export async function buildDataset(
  context: vscode.ExtensionContext,
  provider: DatasetTreeProvider,
  args: BuildDatasetArgs = {},
): Promise<number | undefined> {
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    const answer = await vscode.window.showErrorMessage(
      'Anomaly Lens: Build Dataset runs the anomaly-lens command line on files of this workspace, which Restricted Mode does not allow. Trust the workspace to build datasets.',
      manage,
    );
    if (answer === manage) await vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  }
  const source = args.source ?? (await askSource());
  if (!source) return undefined;
  const output = args.output ?? (await askOutput(source));
  if (!output) return undefined;

  const runtime = nodeRuntime(
    vscode.workspace.getConfiguration('anomalyLens').get<string>('nodePath'),
    process.execPath,
    process.versions.electron,
  );
  const cli = context.asAbsolutePath(path.join('dist', 'cli.js'));
  const task = new vscode.Task(
    { type: 'anomalyLens', command: 'build' },
    vscode.workspace.workspaceFolders?.[0] ?? vscode.TaskScope.Workspace,
    `build ${path.basename(output.fsPath)}`,
    'Anomaly Lens',
    new vscode.ProcessExecution(runtime.command, buildArguments(cli, source.fsPath, output.fsPath), {
      cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? source.fsPath,
      env: runtime.env,
    }),
  );
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };

  const exitCode = await runTask(task);
  await provider.refresh();
  if (exitCode === 0) {
    const show = 'Show Statistics';
    void vscode.window.showInformationMessage(`Anomaly Lens: dataset built in ${output.fsPath}.`, show).then((answer) => {
      if (answer === show) void vscode.commands.executeCommand('anomalyLens.showStatistics', output);
    });
  } else {
    void vscode.window.showErrorMessage(
      `Anomaly Lens: anomaly-lens build ${exitCode === undefined ? 'was stopped' : `failed (exit code ${exitCode})`}; its output is in the terminal.`,
    );
  }
  return exitCode;
}
