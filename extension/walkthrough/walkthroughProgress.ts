// Sets the context keys the walkthrough's steps tick off on, from what the workspace holds (a
// sample, a dataset, a report, a finished run), from the mask editor's tabs and the statistics
// documents opened in this window; and offers the walkthrough once, in a folder with nothing of ours yet.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MANIFEST_FILE } from '../../server/dataset/manifestText';
import { STATISTICS_SCHEME } from '../commands/showStatistics';
import { MASK_EDITOR_VIEW_TYPE } from '../maskEditor/maskEditorProvider';
import { findSamples } from '../sample/workspaceSamples';
import { excludedFolders, exists } from '../views/workspaceFiles';
import { offersWalkthrough, PROGRESS_KEYS, WALKTHROUGH_ID, type ProgressState, type WorkspaceFinds } from './steps';

const EXCLUDE = excludedFolders();
const OFFERED = 'anomalyLens.walkthroughOffered';

async function any(pattern: string): Promise<boolean> {
  return (await vscode.workspace.findFiles(pattern, EXCLUDE, 1)).length > 0;
}

/** A run folder (run.json) whose training finished with its bundle. */
async function anyTrainedRun(): Promise<boolean> {
  const runs = await vscode.workspace.findFiles('**/run.json', EXCLUDE, 200);
  for (const run of runs) if (await exists(vscode.Uri.joinPath(run, '..', 'bundle', 'bundle.json'))) return true;
  return false;
}

async function findStates(): Promise<WorkspaceFinds> {
  const [samples, dataset, report, trained] = await Promise.all([findSamples(), any(`**/${MANIFEST_FILE}`), any('**/report.json'), anyTrainedRun()]);
  return { sample: samples.length > 0, dataset, report, trained };
}

/** A dataset's statistics: Show Dataset Statistics' document, or a build's stats.md beside its dataset.json. */
async function isStatistics(document: vscode.TextDocument): Promise<boolean> {
  if (document.uri.scheme === STATISTICS_SCHEME) return true;
  return document.uri.scheme === 'file' && path.basename(document.uri.fsPath) === 'stats.md' && exists(vscode.Uri.joinPath(document.uri, '..', MANIFEST_FILE));
}

function maskEditorOpen(): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === MASK_EDITOR_VIEW_TYPE));
}

export class WalkthroughProgress implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private scanned: Promise<WorkspaceFinds>;

  /** `jobs`: a job that ends may have written a sample, a dataset, a report or a run (moved into place as a folder, which the file watcher may report as the folder alone). */
  constructor(
    private readonly context: vscode.ExtensionContext,
    jobs: { onDidChangeJob: vscode.Event<{ state: string }> },
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{sample,dataset,report,run,bundle}.json');
    const later = () => this.scanSoon();
    this.disposables.push(
      watcher,
      jobs.onDidChangeJob((job) => {
        if (job.state === 'finished') later();
      }),
      watcher.onDidCreate(later),
      watcher.onDidChange(later),
      watcher.onDidDelete(later),
      vscode.workspace.onDidChangeWorkspaceFolders(later),
      vscode.window.tabGroups.onDidChangeTabs(() => {
        if (maskEditorOpen()) this.reached('maskEditor');
      }),
      vscode.workspace.onDidOpenTextDocument((document) => void this.statisticsOpened(document)),
    );
    if (maskEditorOpen()) this.reached('maskEditor');
    for (const document of vscode.workspace.textDocuments) void this.statisticsOpened(document);
    this.scanned = this.scan();
  }

  /** A state reached in this window (statistics opened, the mask editor opened). */
  private reached(state: ProgressState): void {
    void vscode.commands.executeCommand('setContext', PROGRESS_KEYS[state], true);
  }

  private async statisticsOpened(document: vscode.TextDocument): Promise<void> {
    if (await isStatistics(document)) this.reached('statistics');
  }

  private scanSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.scanned = this.scan()), 300);
  }

  private async scan(): Promise<WorkspaceFinds> {
    const found = await findStates();
    await Promise.all(Object.entries(found).map(([state, has]) => vscode.commands.executeCommand('setContext', PROGRESS_KEYS[state as keyof WorkspaceFinds], has)));
    return found;
  }

  /**
   * Offers the walkthrough once, in a trusted folder holding nothing of Anomaly Lens: a
   * notification with its button, which takes no focus from what the user is doing (a command
   * that activated the extension may be asking something).
   */
  async offer(): Promise<boolean> {
    const offer = offersWalkthrough({
      offeredBefore: this.context.globalState.get<boolean>(OFFERED) === true,
      trusted: vscode.workspace.isTrusted,
      folderOpen: (vscode.workspace.workspaceFolders?.length ?? 0) > 0,
      openOnInstall: vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true),
      found: await this.scanned,
    });
    if (!offer) return false;
    await this.context.globalState.update(OFFERED, true);
    const open = 'Open Walkthrough';
    void vscode.window.showInformationMessage('Anomaly Lens: new here? The walkthrough goes from a sample dataset to a trained model, step by step.', open).then((answer) => {
      if (answer === open) void vscode.commands.executeCommand('workbench.action.openWalkthrough', `${this.context.extension.id}#${WALKTHROUGH_ID}`, false);
    });
    return true;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
