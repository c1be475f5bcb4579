// Train Model, Evaluate, Export Checkpoint and Import Pretrained Weights: jobs of the child server.
// Interactively, each asks its guided steps (train/trainSteps.ts, evaluate/evaluateSteps.ts,
// train/exportSteps.ts, weights/importSteps.ts) with the multi-step input (ui/runSteps.ts).
// Non-interactive forms (every field optional except as noted):
//   trainModel({dataset, out, init, base, epochs, batch, loraRank, device, maxSteps, openDashboard})
//   trainModel({resume: runFolder})
//   evaluate({dataset, split, bundle, baseline, candidates, out, open})
//   exportCheckpoint({run, out, checkpoint})
//   importWeights({clip, alpha, vocab, out, wholeImage})
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runJob, type JobOutcome } from '../jobProgress/ui';
import { currentSettings } from '../client/host';
import {
  EvaluateRequest,
  ExportRequest,
  ImportWeightsRequest,
  TrainRequest,
  type EvaluateParams,
  type EvaluateResult,
  type ExportResult,
  type ImportWeightsResult,
  type TrainParams,
  type TrainResult,
} from '../client/methods';
import { requireTrust } from '../settings/trust';
import { runFolderName, trainOptions, type TrainChoices } from '../train/choices';
import { exportSteps } from '../train/exportSteps';
import { choicesOf as trainChoicesOf, rememberedAnswers, trainSteps, type TrainAnswers, type TrainContext } from '../train/trainSteps';
import { evaluateSteps, rememberedOf as rememberedEvaluation, type EvaluateAnswers, type EvaluateContext } from '../evaluate/evaluateSteps';
import { importSteps, type ImportAnswers, type ImportContext } from '../weights/importSteps';
import { runSteps } from '../ui/runSteps';
import { StepWalk } from '../ui/stepTable';
import { jobSpec } from '../../server/jobs/jobTable';
import { absolute, choicesOf, datasetChoices, fixedDataset, fsPathOf, freshFolder, givenDataset, int, pickDatasetFolder, shownPath, str, workspaceRoot, type Workbench } from './common';

const LAST_TRAIN = 'anomalyLens.lastTrainChoices';
const LAST_EVALUATE = 'anomalyLens.lastEvaluateChoices';

async function askTrain(wb: Workbench, given: string | undefined): Promise<Partial<TrainAnswers> | undefined> {
  const datasets = given ? [] : await datasetChoices(wb);
  if (!datasets) return undefined;
  const ctx: TrainContext = {
    datasets,
    bundles: (await wb.models.bundles()).map((b) => ({ name: b.name, description: `${b.size} ${b.imageSize}px`, folder: b.folder })),
    device: currentSettings().device,
    runsFolder: (dataset) => path.join(workspaceRoot() ?? path.dirname(dataset), 'runs'),
    freshFolder,
  };
  const last = wb.context.workspaceState.get<TrainChoices>(LAST_TRAIN) ?? {};
  return runSteps('Anomaly Lens: Train Model', new StepWalk(trainSteps(ctx), { given: fixedDataset(given, datasets), remembered: rememberedAnswers(last) }));
}

async function runDataset(run: string): Promise<string | undefined> {
  try {
    const info = JSON.parse(await readFile(path.join(run, 'run.json'), 'utf8')) as { config?: { dataset?: unknown } };
    return typeof info.config?.dataset === 'string' ? info.config.dataset : undefined;
  } catch {
    return undefined;
  }
}

export async function trainModel(wb: Workbench, arg?: unknown): Promise<JobOutcome<TrainResult> | undefined> {
  await requireTrust('Train Model');
  const c = choicesOf(arg);
  const resume = str(c.resume) ?? (typeof arg === 'object' && arg !== null && (arg as { kind?: string; folder?: string }).kind === 'train' ? (arg as { folder?: string }).folder : undefined);
  let choices: TrainChoices;
  let out: string | undefined;
  if (resume) {
    out = absolute(resume);
    const dataset = await runDataset(out);
    if (!dataset) {
      void vscode.window.showErrorMessage(`Anomaly Lens: ${path.join(out, 'run.json')} does not name its dataset; it cannot be resumed.`);
      return undefined;
    }
    choices = { dataset };
  } else {
    const scripted = Object.keys(c).length > 0;
    if (scripted) {
      const dataset = await pickDatasetFolder(wb, c.dataset);
      if (!dataset) return undefined;
      choices = {
        dataset,
        base: str(c.base) as TrainChoices['base'],
        init: fsPathOf(c.init),
        epochs: int(c.epochs),
        batch: int(c.batch),
        loraRank: int(c.loraRank),
        device: str(c.device) ?? currentSettings().device,
      };
      const given = fsPathOf(c.out);
      out = given ? absolute(given) : await freshFolder(path.join(workspaceRoot() ?? path.dirname(dataset), 'runs'), runFolderName(dataset, choices));
    } else {
      const asked = await askTrain(wb, givenDataset(arg));
      if (!asked?.dataset || !asked.out) return undefined;
      choices = trainChoicesOf(asked);
      out = absolute(asked.out);
    }
    await wb.context.workspaceState.update(LAST_TRAIN, choices);
  }
  const dataset = absolute(choices.dataset as string);
  const params: TrainParams = {
    dataset,
    out,
    ...(choices.init ? { init: absolute(choices.init) } : {}),
    python: await wb.host.python(),
    options: trainOptions(resume ? {} : choices, int(c.maxSteps)),
  };
  const runFolder = out;
  const openDashboard = c.openDashboard !== false;
  return runJob(wb.jobs, TrainRequest, params, jobSpec('train', { ...params, resume: !!resume }, shownPath), {
    retry: () => trainModel(wb, resume ? { resume } : { ...choices, out: runFolder }),
    onStarted: (jobId) => {
      if (openDashboard) void vscode.commands.executeCommand('anomalyLens.openDashboard', jobId);
      setTimeout(() => void wb.runs.refresh(), 1500);
    },
  }).finally(() => void wb.runs.refresh());
}

async function askEvaluate(wb: Workbench, given: string | undefined, bundle: string | undefined): Promise<Partial<EvaluateAnswers> | undefined> {
  const datasets = given ? [] : await datasetChoices(wb);
  if (!datasets) return undefined;
  const configured = currentSettings().defaultBundle;
  const ctx: EvaluateContext = {
    datasets,
    bundles: (await wb.models.bundles()).map((b) => ({ name: b.name, description: `${b.size} ${b.imageSize}px · ${b.descriptions.length} descriptions`, folder: b.folder, embedded: b.embedded })),
    defaultBundle: configured ? absolute(configured) : '',
  };
  const remembered = wb.context.workspaceState.get<Partial<EvaluateAnswers>>(LAST_EVALUATE) ?? {};
  const walk = new StepWalk(evaluateSteps(ctx), { given: { ...fixedDataset(given, datasets), ...(bundle !== undefined ? { bundle } : {}) }, remembered });
  const answers = await runSteps('Anomaly Lens: Evaluate', walk);
  if (answers) await wb.context.workspaceState.update(LAST_EVALUATE, rememberedEvaluation(answers));
  return answers;
}

export async function evaluate(wb: Workbench, arg?: unknown): Promise<JobOutcome<EvaluateResult> | undefined> {
  await requireTrust('Evaluate');
  const c = choicesOf(arg);
  const scripted = Object.keys(c).length > 0;
  // From the Models view: that bundle; from the Datasets view: that dataset.
  const node = arg as { kind?: string; model?: { folder: string; embedded: boolean } } | undefined;
  const fromModel = node?.kind === 'model' ? node.model : undefined;
  let dataset: string | undefined;
  let bundle = fsPathOf(c.bundle) ?? (fromModel ? (fromModel.embedded ? '' : fromModel.folder) : undefined);
  let baseline = fsPathOf(c.baseline);
  let split: EvaluateParams['split'] = (str(c.split) as EvaluateParams['split']) ?? 'test';
  let candidates: EvaluateParams['candidates'] = (str(c.candidates) as EvaluateParams['candidates']) ?? 'all';
  if (scripted) {
    dataset = await pickDatasetFolder(wb, c.dataset);
  } else {
    const asked = await askEvaluate(wb, fromModel ? undefined : givenDataset(arg), bundle);
    if (!asked?.dataset || !asked.split || asked.bundle === undefined || !asked.candidates) return undefined;
    ({ dataset, split, candidates, bundle } = asked);
    baseline = asked.baseline || undefined;
  }
  if (!dataset) return undefined;
  const configuredDefault = currentSettings().defaultBundle;
  const bundleFolder = bundle === undefined ? (configuredDefault ? absolute(configuredDefault) : undefined) : bundle === '' ? undefined : absolute(bundle);
  const givenOut = fsPathOf(c.out);
  const out = givenOut ? absolute(givenOut) : await freshFolder(path.join(workspaceRoot() ?? path.dirname(dataset), 'reports'), `${path.basename(dataset)}-${split}`);
  const params: EvaluateParams = { dataset, split, out, candidates, ...(bundleFolder ? { bundle: bundleFolder } : {}), ...(baseline ? { baseline: absolute(baseline) } : {}) };
  const outcome = await runJob(wb.jobs, EvaluateRequest, params, jobSpec('evaluate', params, shownPath), {
    retry: () => evaluate(wb, { dataset, split, bundle, baseline, candidates, out }),
  });
  void wb.runs.refresh();
  if (outcome.state === 'finished' && c.open !== false) await vscode.commands.executeCommand('anomalyLens.openReport', outcome.result.out);
  return outcome;
}

export async function exportCheckpoint(wb: Workbench, arg?: unknown): Promise<JobOutcome<ExportResult> | undefined> {
  await requireTrust('Export Checkpoint');
  const c = choicesOf(arg);
  let run = fsPathOf(c.run) ?? fsPathOf(arg);
  let checkpoint = str(c.checkpoint);
  if (Object.keys(c).length === 0) {
    const runs = (await wb.runs.runs()).flatMap((r) => (r.kind === 'train' && r.folder && r.disk?.kind === 'train' && r.disk.hasCheckpoint ? [{ folder: r.folder, name: r.name, status: r.status, hasBest: r.disk.hasBest ?? false }] : []));
    if (!run && runs.length === 0) {
      void vscode.window.showInformationMessage('Anomaly Lens: no training run with a checkpoint in this workspace.');
      return undefined;
    }
    const asked = await runSteps('Anomaly Lens: Export Checkpoint', new StepWalk(exportSteps(runs), { given: run ? { run: absolute(run) } : {} }));
    if (!asked?.run || !asked.checkpoint) return undefined;
    run = asked.run;
    checkpoint = asked.checkpoint;
  }
  if (!run) return undefined;
  run = absolute(run);
  const out = fsPathOf(c.out) ? absolute(fsPathOf(c.out) as string) : await freshFolder(run, `bundle-${checkpoint ?? 'best'}`);
  const params = { run, out, checkpoint: checkpoint ?? 'best', python: await wb.host.python() };
  const outcome = await runJob(wb.jobs, ExportRequest, params, jobSpec('export', params, shownPath), { retry: () => exportCheckpoint(wb, { run, out, checkpoint }) });
  void wb.models.refresh();
  if (outcome.state === 'finished') void vscode.window.showInformationMessage(`Anomaly Lens: bundle written to ${outcome.result.bundle}.`);
  return outcome;
}

export const WEIGHT_LICENCES = 'OpenAI CLIP weights: MIT licence. AlphaCLIP weights: research use only (not for commercial use). You supply both files; Anomaly Lens does not download them.';

/** Workspace files whose names end with one of `endings` (at most 20). */
async function workspaceFiles(endings: string[]): Promise<string[]> {
  const found = await vscode.workspace.findFiles(`**/*{${endings.join(',')}}`, '**/node_modules/**', 20);
  return found.map((u) => u.fsPath).sort();
}

async function askImport(): Promise<Partial<ImportAnswers> | undefined> {
  const ctx: ImportContext = {
    found: { clip: await workspaceFiles(['.pt']), alpha: await workspaceFiles(['.pth']), vocab: await workspaceFiles(['.txt.gz', 'vocab.txt']) },
    modelsFolder: path.join(workspaceRoot() ?? process.cwd(), 'models'),
    freshFolder,
    shown: shownPath,
  };
  return runSteps('Anomaly Lens: Import Pretrained Weights', new StepWalk(importSteps(ctx)));
}

export async function importWeights(wb: Workbench, arg?: unknown): Promise<JobOutcome<ImportWeightsResult> | undefined> {
  await requireTrust('Import Pretrained Weights');
  const c = choicesOf(arg);
  const scripted = Object.keys(c).length > 0;
  let clip = fsPathOf(c.clip);
  let alpha = fsPathOf(c.alpha);
  let vocab = fsPathOf(c.vocab);
  let out = fsPathOf(c.out) ? absolute(fsPathOf(c.out) as string) : undefined;
  if (scripted) {
    if (!clip || !vocab) return undefined;
    out ??= await freshFolder(path.join(workspaceRoot() ?? path.dirname(clip), 'models'), path.basename(clip, path.extname(clip)));
  } else {
    void vscode.window.showInformationMessage(`Anomaly Lens: ${WEIGHT_LICENCES}`);
    const asked = await askImport();
    if (!asked?.clip || !asked.vocab || !asked.out) return undefined;
    clip = asked.clip;
    alpha = asked.alpha;
    vocab = asked.vocab;
    out = absolute(asked.out);
  }
  const wholeImage = c.wholeImage === true || !alpha;
  const params = { clip: absolute(clip), ...(alpha ? { alpha: absolute(alpha) } : {}), vocab: absolute(vocab), out, wholeImage, python: await wb.host.python() };
  const outcome = await runJob(wb.jobs, ImportWeightsRequest, params, jobSpec('importWeights', params, shownPath), { retry: () => importWeights(wb, { clip, alpha, vocab, out, wholeImage }) });
  void wb.models.refresh();
  if (outcome.state === 'finished') void vscode.window.showInformationMessage(`Anomaly Lens: bundle written to ${outcome.result.bundle}. Licences: ${outcome.result.licences.join('; ')}`);
  return outcome;
}
