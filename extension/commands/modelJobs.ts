// Train Model, Evaluate, Export Checkpoint and Import Pretrained Weights: jobs of the child server.
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
import { BASES, proposed, runFolderName, trainOptions, type TrainChoices } from '../train/choices';
import { jobSpec } from '../../server/jobs/jobTable';
import { absolute, askPath, choicesOf, fsPathOf, freshFolder, int, pickBundle, pickDatasetFolder, pickFile, shownPath, str, workspaceRoot, type Workbench } from './common';

const LAST_TRAIN = 'anomalyLens.lastTrainChoices';

async function askInt(title: string, value: number | undefined, min: number): Promise<number | undefined | null> {
  const answer = await vscode.window.showInputBox({
    title: `Anomaly Lens: Train Model — ${title}`,
    value: value !== undefined ? String(value) : '',
    placeHolder: 'empty: the trainer’s default',
    validateInput: (t) => (t.trim() === '' || (Number.isInteger(Number(t)) && Number(t) >= min) ? undefined : `an integer of at least ${min}`),
  });
  if (answer === undefined) return null;
  return answer.trim() === '' ? undefined : Number(answer);
}

async function askTrainChoices(wb: Workbench, last: TrainChoices, dataset: string): Promise<TrainChoices | undefined> {
  const bundles = await wb.models.bundles();
  const startItems: (vscode.QuickPickItem & { base?: TrainChoices['base']; init?: string })[] = [
    ...BASES.map((b) => ({ label: b, description: b === 'tiny' ? 'small, from random weights (seconds on a CPU)' : 'from random weights (give CLIP weights with Import Pretrained Weights)', base: b })),
    ...bundles.map((b) => ({ label: `$(package) continue from ${b.name}`, description: `${b.size} ${b.imageSize}px`, detail: b.folder, base: undefined, init: b.folder })),
  ];
  for (const i of startItems) i.picked = (i.init ?? i.base) === (last.init ?? last.base);
  const start = await vscode.window.showQuickPick(startItems, { title: 'Anomaly Lens: Train Model — base model or a bundle to continue from', placeHolder: last.init ?? last.base ?? 'tiny' });
  if (!start) return undefined;
  const epochs = await askInt('epochs', proposed(last.epochs, 'epochs'), 1);
  if (epochs === null) return undefined;
  const batch = await askInt('batch size', proposed(last.batch, 'batch'), 1);
  if (batch === null) return undefined;
  const loraRank = await askInt('LoRA rank (0: fine-tune every weight)', last.loraRank, 0);
  if (loraRank === null) return undefined;
  const devices = ['auto', 'cpu', 'cuda', currentSettings().device].filter((d, i, a) => a.indexOf(d) === i);
  const device = await vscode.window.showQuickPick(devices, { title: 'Anomaly Lens: Train Model — device', placeHolder: last.device ?? currentSettings().device });
  if (!device) return undefined;
  return { dataset, base: start.base, init: start.init, epochs, batch, loraRank, device };
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
    const last = wb.context.workspaceState.get<TrainChoices>(LAST_TRAIN) ?? {};
    const dataset = await pickDatasetFolder(wb, c.dataset ?? (scripted ? undefined : arg));
    if (!dataset) return undefined;
    if (scripted) {
      choices = {
        dataset,
        base: str(c.base) as TrainChoices['base'],
        init: fsPathOf(c.init),
        epochs: int(c.epochs),
        batch: int(c.batch),
        loraRank: int(c.loraRank),
        device: str(c.device) ?? currentSettings().device,
      };
    } else {
      const asked = await askTrainChoices(wb, last, dataset);
      if (!asked) return undefined;
      choices = asked;
    }
    await wb.context.workspaceState.update(LAST_TRAIN, choices);
    const given = fsPathOf(c.out);
    const base = runFolderName(dataset, choices);
    out = given ? absolute(given) : scripted ? await freshFolder(path.join(workspaceRoot() ?? path.dirname(dataset), 'runs'), base) : await askPath('run folder', await freshFolder(path.join(workspaceRoot() ?? path.dirname(dataset), 'runs'), base));
    if (!out) return undefined;
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

export async function evaluate(wb: Workbench, arg?: unknown): Promise<JobOutcome<EvaluateResult> | undefined> {
  await requireTrust('Evaluate');
  const c = choicesOf(arg);
  const scripted = Object.keys(c).length > 0;
  // From the Models view: that bundle; from the Datasets view: that dataset.
  const node = arg as { kind?: string; model?: { folder: string; embedded: boolean } } | undefined;
  const fromModel = node?.kind === 'model' ? node.model : undefined;
  const dataset = await pickDatasetFolder(wb, c.dataset ?? (!scripted && !fromModel ? arg : undefined));
  if (!dataset) return undefined;
  let bundle = fsPathOf(c.bundle) ?? (fromModel ? (fromModel.embedded ? '' : fromModel.folder) : undefined);
  let baseline = fsPathOf(c.baseline);
  let split: EvaluateParams['split'] = (str(c.split) as EvaluateParams['split']) ?? 'test';
  let candidates: EvaluateParams['candidates'] = (str(c.candidates) as EvaluateParams['candidates']) ?? 'all';
  if (!scripted) {
    const s = await vscode.window.showQuickPick(['test', 'val', 'train'], { title: 'Anomaly Lens: Evaluate — split' });
    if (!s) return undefined;
    split = s as EvaluateParams['split'];
    if (bundle === undefined) {
      const b = await pickBundle(wb, 'Evaluate — model bundle');
      if (!b) return undefined;
      bundle = b.folder ?? '';
    }
    const bl = await pickBundle(wb, 'Evaluate — baseline bundle to compare with', { allowNone: 'no baseline' });
    if (!bl) return undefined;
    baseline = bl.folder === '' ? undefined : (bl.folder ?? path.join(wb.models.embeddedFolder));
    const cand = await vscode.window.showQuickPick(
      [
        { label: 'all', description: 'every description of the dataset (the paper’s Table 4)' },
        { label: 'object', description: 'only the descriptions of the region’s object (Table 5)' },
      ],
      { title: 'Anomaly Lens: Evaluate — candidate descriptions' },
    );
    if (!cand) return undefined;
    candidates = cand.label as EvaluateParams['candidates'];
  }
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
  if (!run) {
    const runs = (await wb.runs.runs()).filter((r) => r.kind === 'train' && r.folder && r.disk?.kind === 'train' && r.disk.hasCheckpoint);
    const picked = await vscode.window.showQuickPick(runs.map((r) => ({ label: r.name, description: r.status, detail: r.folder })), { title: 'Anomaly Lens: Export Checkpoint — training run' });
    run = picked?.detail;
  }
  if (!run) return undefined;
  run = absolute(run);
  let checkpoint = str(c.checkpoint);
  if (!checkpoint && Object.keys(c).length === 0) {
    const p = await vscode.window.showQuickPick([{ label: 'best', description: 'best validation accuracy' }, { label: 'last', description: 'the newest checkpoint' }], { title: 'Anomaly Lens: Export Checkpoint — which checkpoint' });
    if (!p) return undefined;
    checkpoint = p.label;
  }
  const out = fsPathOf(c.out) ? absolute(fsPathOf(c.out) as string) : await freshFolder(run, `bundle-${checkpoint ?? 'best'}`);
  const params = { run, out, checkpoint: checkpoint ?? 'best', python: await wb.host.python() };
  const outcome = await runJob(wb.jobs, ExportRequest, params, jobSpec('export', params, shownPath), { retry: () => exportCheckpoint(wb, { run, out, checkpoint }) });
  void wb.models.refresh();
  if (outcome.state === 'finished') void vscode.window.showInformationMessage(`Anomaly Lens: bundle written to ${outcome.result.bundle}.`);
  return outcome;
}

export const WEIGHT_LICENCES = 'OpenAI CLIP weights: MIT licence. AlphaCLIP weights: research use only (not for commercial use). You supply both files; Anomaly Lens does not download them.';

export async function importWeights(wb: Workbench, arg?: unknown): Promise<JobOutcome<ImportWeightsResult> | undefined> {
  await requireTrust('Import Pretrained Weights');
  const c = choicesOf(arg);
  const scripted = Object.keys(c).length > 0;
  if (!scripted) void vscode.window.showInformationMessage(`Anomaly Lens: ${WEIGHT_LICENCES}`);
  const clip = fsPathOf(c.clip) ?? (scripted ? undefined : await pickFile('OpenAI CLIP weights (.pt, MIT licence)', { 'CLIP weights': ['pt'] }));
  if (!clip) return undefined;
  const alpha = fsPathOf(c.alpha) ?? (scripted ? undefined : await pickFile('AlphaCLIP visual weights (.pth, research use only) — cancel for whole-image CLIP', { 'AlphaCLIP weights': ['pth'] }));
  const vocab = fsPathOf(c.vocab) ?? (scripted ? undefined : await pickFile('CLIP vocabulary (bpe_simple_vocab_16e6.txt.gz)', { Vocabulary: ['gz', 'txt'] }));
  if (!vocab) return undefined;
  const root = workspaceRoot() ?? path.dirname(clip);
  const out = fsPathOf(c.out) ? absolute(fsPathOf(c.out) as string) : scripted ? await freshFolder(path.join(root, 'models'), path.basename(clip, path.extname(clip))) : await askPath('folder of the imported bundle', await freshFolder(path.join(root, 'models'), path.basename(clip, path.extname(clip))));
  if (!out) return undefined;
  const wholeImage = c.wholeImage === true || !alpha;
  const params = { clip: absolute(clip), ...(alpha ? { alpha: absolute(alpha) } : {}), vocab: absolute(vocab), out, wholeImage, python: await wb.host.python() };
  const outcome = await runJob(wb.jobs, ImportWeightsRequest, params, jobSpec('importWeights', params, shownPath), { retry: () => importWeights(wb, { clip, alpha, vocab, out, wholeImage }) });
  void wb.models.refresh();
  if (outcome.state === 'finished') void vscode.window.showInformationMessage(`Anomaly Lens: bundle written to ${outcome.result.bundle}. Licences: ${outcome.result.licences.join('; ')}`);
  return outcome;
}
