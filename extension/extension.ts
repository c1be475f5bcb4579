import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildDataset } from './commands/datasetJobs';
import { validateDataset } from './commands/datasetJobs';
import { exportDataset } from './commands/exportDataset';
import { buildSample, createSample } from './commands/createSample';
import { describeRegion } from './commands/describeRegion';
import { evaluate, exportCheckpoint, importWeights, trainModel } from './commands/modelJobs';
import { STATISTICS_SCHEME, StatisticsDocuments, showStatistics } from './commands/showStatistics';
import { cancelJob, revealInExplorer, selectDefaultBundle, setLlmApiKey, showServerLog } from './commands/workbenchCommands';
import { pickBundle, type Workbench } from './commands/common';
import { MANIFEST_FILE } from '../server/dataset/manifestText';
import { DatasetTreeProvider } from './datasetTree/provider';
import { JobTracker } from './jobProgress/tracker';
import { JobStatusItem } from './jobProgress/ui';
import { ModelTreeProvider } from './models/provider';
import { openReport, openTrainingDashboard, registerPanels, type JobSource } from './panels';
import { RunTreeProvider } from './runs/provider';
import { compareRuns, exportBest, notifyFinishedTrainings } from './runs/runCommands';
import { trainingJobSource } from './panels/trainingJobSource';
import type { RunEntry } from './runs/model';
import { ServerHost, currentSettings } from './client/host';
import { registerLanguageFeatures } from '../language/register';
import { LlmKeyStore } from './settings/secrets';
import { MaskEditorProvider, openMaskEditor } from './maskEditor/maskEditorProvider';
import { ReviewTreeProvider } from './review/reviewProvider';
import { DatasetChanges } from './datasets/datasetChanges';
import { reviewLabels, takeModelDescription } from './review/reviewCommands';
import type { ReviewItem } from '../server/editor/reviewTypes';
import { WalkthroughProgress } from './walkthrough/walkthroughProgress';

/** What `activate` returns: other extensions and the integration tests read the views and jobs through it. */
export interface AnomalyLensApi {
  datasets: DatasetTreeProvider;
  models: ModelTreeProvider;
  runs: RunTreeProvider;
  /** The review queue of the last Review Labels. */
  review: ReviewTreeProvider;
  /** The job list (the server's and this window's); also the training dashboard's JobSource. */
  jobs: JobTracker;
  /** The child server (started on first use). */
  server: ServerHost;
  /** The status-bar text while jobs run, else undefined. */
  jobStatusText(): string | undefined;
}

let server: ServerHost | undefined;

/** A debounced call: many file or job events, one refresh. */
function debounced(fn: () => void, ms: number): { call: () => void; dispose: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    call: () => {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    },
    dispose: () => clearTimeout(timer),
  };
}

function watch(pattern: string, onChange: () => void): vscode.FileSystemWatcher {
  const watcher = vscode.workspace.createFileSystemWatcher(pattern);
  watcher.onDidCreate(onChange);
  watcher.onDidChange(onChange);
  watcher.onDidDelete(onChange);
  return watcher;
}

export function activate(context: vscode.ExtensionContext): AnomalyLensApi {
  const keys = new LlmKeyStore(context.secrets);
  server = new ServerHost(context, keys);
  const host = server;
  const tracker = new JobTracker(host.get());
  host.busy = () => tracker.active().length > 0;
  const datasets = new DatasetTreeProvider();
  const models = new ModelTreeProvider(context.asAbsolutePath(path.join('media', 'default-model')), () => currentSettings().defaultBundle);
  const runs = new RunTreeProvider(tracker);
  const status = new JobStatusItem(tracker);
  const datasetChanges = new DatasetChanges();
  const review = new ReviewTreeProvider(context.workspaceState, datasetChanges);
  const statistics = new StatisticsDocuments(() => host.get());
  const wb: Workbench = { context, host, tracker, jobs: { tracker, channel: host.channel, ready: () => host.ready() }, datasets, models, runs };
  const walkthrough = new WalkthroughProgress(context, tracker);
  context.subscriptions.push(walkthrough);

  const jobSource: JobSource = trainingJobSource(tracker, {
    startTraining: (runFolder) => trainModel(wb, { resume: runFolder }),
    readFile: async (file) => vscode.workspace.fs.readFile(vscode.Uri.file(file)),
  });
  registerPanels(context, jobSource);

  const refreshDatasets = debounced(() => void datasets.refresh(), 300);
  const refreshModels = debounced(() => void models.refresh(), 300);
  const refreshRuns = debounced(() => void runs.refresh(), 300);
  const redrawRuns = debounced(() => runs.jobsChanged(), 250);
  let lastStates = new Map<string, string>();
  const jobSubscription = tracker.onDidChangeJob((job) => {
    redrawRuns.call();
    // A job that ends may have written a dataset, a run, a report or a bundle.
    if (lastStates.get(job.id) !== job.state && (job.state === 'finished' || job.state === 'failed' || job.state === 'cancelled')) {
      refreshRuns.call();
      refreshModels.call();
      if (job.kind === 'buildDataset' || job.kind === 'createSample') refreshDatasets.call();
      if (job.kind === 'buildDataset' && job.output) datasetChanges.changed(job.output);
    }
    lastStates.set(job.id, job.state);
  });
  // A restarted server (or another window's) may have jobs running: show them.
  const stateSubscription = host.get().onDidChangeState((state) => {
    if (state === 'running') void tracker.refresh();
  });

  const openDashboard = (arg?: unknown) => {
    const entry = arg as RunEntry | undefined;
    const target = typeof arg === 'string' ? arg : (entry?.job && (entry.job.state === 'running' || entry.job.state === 'queued') ? entry.job.id : entry?.folder) ?? tracker.active().find((j) => j.kind === 'train')?.id;
    if (!target) {
      void vscode.window.showInformationMessage('Anomaly Lens: choose a training run in the Runs view.');
      return;
    }
    openTrainingDashboard(context, jobSource, target);
  };
  /** A report folder (string, URI, Runs entry) or {folder, compareWith}. */
  const openReportCommand = (arg?: unknown) => {
    const given = arg as { folder?: unknown; compareWith?: unknown } | undefined;
    const folder = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : typeof given?.folder === 'string' ? given.folder : undefined;
    if (folder) openReport(context, folder, typeof given?.compareWith === 'string' ? given.compareWith : undefined);
  };

  const command = (id: string, fn: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(`anomalyLens.${id}`, fn);
  context.subscriptions.push(
    host,
    tracker,
    status,
    datasets,
    models,
    runs,
    refreshDatasets,
    refreshModels,
    refreshRuns,
    redrawRuns,
    jobSubscription,
    stateSubscription,
    { dispose: () => (lastStates = new Map()) },
    vscode.window.createTreeView('anomalyLens.datasets', { treeDataProvider: datasets, showCollapseAll: true }),
    vscode.window.createTreeView('anomalyLens.models', { treeDataProvider: models, showCollapseAll: true }),
    vscode.window.createTreeView('anomalyLens.runs', { treeDataProvider: runs, canSelectMany: true }),
    notifyFinishedTrainings(tracker),
    watch(`**/${MANIFEST_FILE}`, refreshDatasets.call),
    watch('**/bundle.json', () => {
      refreshModels.call();
      refreshRuns.call();
    }),
    watch('**/{run,report}.json', refreshRuns.call),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('anomalyLens.defaultBundle')) refreshModels.call();
    }),
    statistics,
    vscode.workspace.registerTextDocumentContentProvider(STATISTICS_SCHEME, statistics),
    command('refreshDatasets', () => datasets.refresh()),
    command('refreshModels', () => models.refresh()),
    command('refreshRuns', async () => {
      await tracker.refresh();
      return runs.refresh();
    }),
    command('showStatistics', (arg) => showStatistics(datasets, statistics, arg)),
    command('createSample', (arg) => createSample(wb, arg)),
    command('buildSample', (arg) => buildSample(wb, arg)),
    command('buildDataset', (arg) => buildDataset(wb, arg)),
    command('validateDataset', (arg) => validateDataset(wb, arg)),
    command('exportDataset', (arg) => exportDataset(wb, arg)),
    command('trainModel', (arg) => trainModel(wb, arg)),
    command('resumeRun', (arg) => trainModel(wb, { resume: (arg as RunEntry | undefined)?.folder ?? arg })),
    command('compareRuns', (clicked, selected) => compareRuns(context, runs, tracker, clicked, selected)),
    command('exportBest', (entry) => exportBest(entry)),
    command('evaluate', (arg) => evaluate(wb, arg)),
    command('describeRegion', (arg, selection) => describeRegion(wb, arg, selection)),
    command('exportCheckpoint', (arg) => exportCheckpoint(wb, arg)),
    command('importWeights', (arg) => importWeights(wb, arg)),
    command('selectDefaultBundle', (arg) => selectDefaultBundle(wb, arg)),
    command('setLlmApiKey', (arg) => setLlmApiKey(keys, arg)),
    command('cancelJob', (arg) => cancelJob(wb, arg)),
    command('showServerLog', () => showServerLog(wb)),
    command('openDashboard', openDashboard),
    command('openReport', openReportCommand),
    command('revealInExplorer', (arg) => revealInExplorer(arg)),
    datasetChanges,
    MaskEditorProvider.register(context, host, () => currentSettings().defaultBundle || undefined, datasetChanges),
    command('openMaskEditor', (arg) => openMaskEditor(arg)),
    registerLanguageFeatures({
      client: () => host.get(),
      log: (message) => host.channel.warn(message),
      defaultBundle: () => currentSettings().defaultBundle || undefined,
      uncertainBelow: () => currentSettings().uncertainBelow ?? undefined,
      pickBundle: () => pickBundle(wb, 'Describe with the model'),
      openMaskEditor: (image) => openMaskEditor({ image }),
    }),
    review,
    vscode.window.createTreeView('anomalyLens.review', { treeDataProvider: review }),
    command('reviewLabels', (arg) => reviewLabels(wb, review, arg)),
    command('reviewAccept', (item) => review.accept(item as ReviewItem)),
    command('reviewTakeModel', (item) => takeModelDescription(wb, review, datasetChanges, item as ReviewItem)),
    command('reviewEdit', (item) => openMaskEditor(review.editorArgs(item as ReviewItem))),
  );
  void walkthrough.offer();
  return { datasets, models, runs, review, jobs: tracker, server: host, jobStatusText: () => status.text };
}

/** Waits for the child server to shut down. */
export function deactivate(): Promise<void> | undefined {
  const host = server;
  server = undefined;
  return host?.dispose();
}
