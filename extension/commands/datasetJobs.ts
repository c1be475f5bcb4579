// Create Sample Dataset, Build Dataset and Validate Dataset: jobs of the child server.
// Non-interactive forms: createSample({out}), buildDataset({sources:[path|{root,kind,role}], output|out,
// eps, minPts, mode, describe}), validateDataset({dataset}) or a dataset node/URI.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { guessLayout, layoutLabel, type Listing } from '../../server/dataset/readers/layouts';
import { runJob, type JobOutcome } from '../jobProgress/ui';
import { currentSettings } from '../client/host';
import { BuildDatasetRequest, CreateSampleRequest, ValidateRequest, type BuildDatasetParams, type BuildDatasetResult, type CreateSampleResult, type ValidateResult } from '../client/methods';
import { requireTrust } from '../settings/trust';
import { SPLIT_MODE_LABELS, SPLIT_MODES } from '../../server/masks/splitDefaults';
import { SPLITS } from '../../server/dataset/manifestText';
import { jobSpec } from '../../server/jobs/jobTable';
import { absolute, askPath, choicesOf, fsPathOf, freshFolder, int, pickDatasetFolder, shownPath, str, workspaceRoot, type Workbench } from './common';

export async function createSample(wb: Workbench, arg?: unknown): Promise<JobOutcome<CreateSampleResult> | undefined> {
  await requireTrust('Create Sample Dataset');
  const choices = choicesOf(arg);
  const root = workspaceRoot() ?? process.cwd();
  const out = str(choices.out) ? absolute(str(choices.out) as string) : await askPath('folder of the sample dataset', await freshFolder(root, 'sample'));
  if (!out) return undefined;
  const params = { out, seed: int(choices.seed), scale: int(choices.scale), size: int(choices.size) };
  const outcome = await runJob(wb.jobs, CreateSampleRequest, params, jobSpec('createSample', params, shownPath), { retry: () => createSample(wb, { ...choices, out }) });
  if (outcome.state === 'finished') {
    const r = outcome.result;
    const build = 'Build Dataset';
    void vscode.window.showInformationMessage(`Anomaly Lens: sample written to ${r.out} (${r.images} images: synthetic ${path.basename(r.synthetic)}, MVTec-layout ${path.basename(r.mvtec)}).`, build).then((a) => {
      if (a === build) void vscode.commands.executeCommand('anomalyLens.buildDataset', { sources: [r.synthetic, r.mvtec] });
    });
  }
  return outcome;
}

/** Names three folder levels down (bounded), for the layout guess. */
async function listing(root: string): Promise<Listing> {
  const dirs = new Map<string, string[]>();
  const files = new Set<string>();
  const read = async (rel: string, depth: number): Promise<void> => {
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(path.join(root, rel)));
    } catch {
      return;
    }
    const sub = entries.filter(([, t]) => t & vscode.FileType.Directory).map(([n]) => n).slice(0, 60);
    dirs.set(rel, sub);
    for (const [n, t] of entries) if (t & vscode.FileType.File) files.add(rel ? `${rel}/${n}` : n);
    if (depth < 2) await Promise.all(sub.map((n) => read(rel ? `${rel}/${n}` : n, depth + 1)));
  };
  await read('', 0);
  return { dirs, files };
}

async function askSources(initial: string[]): Promise<string[] | undefined> {
  const sources = [...initial];
  for (;;) {
    const items: (vscode.QuickPickItem & { action?: 'add' | 'done'; source?: string })[] = [];
    for (const s of sources) items.push({ label: `$(folder) ${path.basename(s)}`, description: `layout: ${layoutLabel(guessLayout(await listing(s)))}`, detail: s, source: s });
    items.push({ label: '$(add) Add a source folder…', action: 'add' });
    if (sources.length) items.push({ label: '$(check) Continue with these sources', action: 'done' });
    const picked = await vscode.window.showQuickPick(items, { title: 'Anomaly Lens: Build Dataset — sources (choose one to remove it)', ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.action === 'done') return sources;
    if (picked.action === 'add') {
      const folders = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: true, title: 'Anomaly Lens: source anomaly dataset (MVTec AD, VisA, AnomalyDiffusion or a folder layout)', openLabel: 'Add Source' });
      for (const f of folders ?? []) if (!sources.includes(f.fsPath)) sources.push(f.fsPath);
    } else if (picked.source) sources.splice(sources.indexOf(picked.source), 1);
  }
}

async function askNumber(title: string, value: number, valid: (n: number) => boolean, hint: string): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({ title: `Anomaly Lens: Build Dataset — ${title}`, value: String(value), validateInput: (t) => (valid(Number(t)) ? undefined : hint) });
  return answer === undefined ? undefined : Number(answer);
}

function sourceSpec(value: unknown): BuildDatasetParams['sources'][number] | undefined {
  const p = fsPathOf(value);
  if (p) return { root: absolute(p) };
  const v = value as { root?: unknown; kind?: unknown; role?: unknown } | null;
  if (v && typeof v.root === 'string') return { root: absolute(v.root), ...(typeof v.kind === 'string' ? { kind: v.kind as never } : {}), ...(typeof v.role === 'string' ? { role: v.role as never } : {}) };
  return undefined;
}

/** Exit-code style result, as the command line's: 0 built, 2 the user's mistake, 1 a failure, undefined cancelled or nothing run. */
export async function buildDataset(wb: Workbench, arg?: unknown): Promise<number | undefined> {
  await requireTrust('Build Dataset');
  const choices = choicesOf(arg);
  const settings = currentSettings();
  const given = Array.isArray(choices.sources) ? choices.sources.map(sourceSpec).filter((s) => s !== undefined) : sourceSpec(choices.source) ? [sourceSpec(choices.source) as BuildDatasetParams['sources'][number]] : [];
  const explorer = arg instanceof vscode.Uri ? [{ root: arg.fsPath }] : [];
  const scripted = given.length > 0;
  let sources = [...given, ...explorer];
  if (!scripted) {
    const picked = await askSources(sources.map((s) => s.root));
    if (!picked) return undefined;
    sources = picked.map((root) => ({ root }));
  }
  if (sources.length === 0) return undefined;
  const root = workspaceRoot() ?? path.dirname(sources[0].root);
  const outGiven = fsPathOf(choices.output) ?? str(choices.out);
  const out = outGiven ? absolute(outGiven) : await askPath('output folder of the dataset', await freshFolder(path.join(root, 'datasets'), path.basename(sources[0].root)));
  if (!out) return undefined;
  let mode: NonNullable<BuildDatasetParams['mode']> = (str(choices.mode) as BuildDatasetParams['mode']) ?? settings.regions.mode;
  let eps = int(choices.eps) ?? settings.regions.eps;
  let minPts = int(choices.minPts) ?? settings.regions.minPts;
  let describe = (str(choices.describe) as 'builtin' | 'llm' | undefined) ?? settings.describeProvider;
  if (!scripted) {
    const modePick = await vscode.window.showQuickPick(
      SPLIT_MODES.map((label) => ({ label, description: SPLIT_MODE_LABELS[label], picked: label === mode })),
      { title: 'Anomaly Lens: Build Dataset — how masks split into regions', placeHolder: mode },
    );
    if (!modePick) return undefined;
    mode = modePick.label as NonNullable<BuildDatasetParams['mode']>;
    if (mode === 'dbscan') {
      const e = await askNumber('DBSCAN radius eps (pixels)', eps, (n) => n > 0, 'a positive number');
      if (e === undefined) return undefined;
      const m = await askNumber('DBSCAN minPts', minPts, (n) => Number.isInteger(n) && n >= 1, 'an integer of at least 1');
      if (m === undefined) return undefined;
      eps = e;
      minPts = m;
    }
    const d = await vscode.window.showQuickPick(
      [
        { label: 'builtin', description: 'composed from the defect and object names' },
        { label: 'llm', description: 'rewritten by an LLM (Set LLM API Key)' },
      ],
      { title: 'Anomaly Lens: Build Dataset — descriptions', placeHolder: describe },
    );
    if (!d) return undefined;
    describe = d.label as 'builtin' | 'llm';
  }
  const params: BuildDatasetParams = {
    sources,
    out,
    mode,
    eps,
    minPts,
    minArea: settings.regions.minArea,
    describe,
    ...(describe === 'llm' && settings.llm.model ? { llmModel: settings.llm.model } : {}),
  };
  const outcome = await runJob<BuildDatasetParams, BuildDatasetResult>(wb.jobs, BuildDatasetRequest, params, jobSpec('buildDataset', params, shownPath), {
    retry: () => buildDataset(wb, { sources, out, mode, eps, minPts, describe }),
  });
  await wb.datasets.refresh();
  if (outcome.state === 'finished') {
    const show = 'Show Statistics';
    void vscode.window.showInformationMessage(`Anomaly Lens: dataset built in ${out}.`, show, 'Validate', 'Train').then((answer) => {
      if (answer === show) void vscode.commands.executeCommand('anomalyLens.showStatistics', vscode.Uri.file(out));
      else if (answer === 'Validate') void vscode.commands.executeCommand('anomalyLens.validateDataset', { dataset: out });
      else if (answer === 'Train') void vscode.commands.executeCommand('anomalyLens.trainModel', { dataset: out });
    });
    return 0;
  }
  if (outcome.state === 'cancelled') return undefined;
  return wb.tracker.get(outcome.jobId)?.error?.kind === 'user' ? 2 : 1;
}

export async function validateDataset(wb: Workbench, arg?: unknown): Promise<JobOutcome<ValidateResult> | undefined> {
  await requireTrust('Validate Dataset');
  const choices = choicesOf(arg);
  const dataset = await pickDatasetFolder(wb, choices.dataset ?? (Object.keys(choices).length ? undefined : arg));
  if (!dataset) return undefined;
  const outcome = await runJob(wb.jobs, ValidateRequest, { dataset }, jobSpec('validate', { dataset }, shownPath), { retry: () => validateDataset(wb, { dataset }) });
  if (outcome.state === 'finished') {
    const r = outcome.result;
    const errors = r.problems.filter((p) => p.severity === 'error');
    const warnings = r.problems.length - errors.length;
    wb.jobs.channel.info(`validate ${dataset}: ${r.valid ? 'valid' : 'not valid'}; ${errors.length} errors, ${warnings} warnings`);
    for (const p of r.problems) wb.jobs.channel[p.severity === 'error' ? 'error' : 'warn'](`${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    const counts = SPLITS.map((s) => `${s} ${r.counts[s].images}/${r.counts[s].regions}`).join(', ');
    if (r.valid) void vscode.window.showInformationMessage(`Anomaly Lens: ${path.basename(dataset)} is valid (images/regions: ${counts})${warnings ? `; ${warnings} warnings in the log` : ''}.`);
    else
      void vscode.window.showErrorMessage(`Anomaly Lens: ${path.basename(dataset)} has ${errors.length} problem${errors.length === 1 ? '' : 's'}; the first: ${errors[0]?.file}: ${errors[0]?.message}`, 'Open Log').then((a) => {
        if (a) wb.jobs.channel.show(true);
      });
  }
  return outcome;
}
