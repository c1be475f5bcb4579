// Build Dataset and Validate Dataset: jobs of the child server (Create Sample Dataset: createSample.ts).
// Non-interactive forms: buildDataset({sources:[path|{root,kind,role}], output|out,
// eps, minPts, mode, describe}), validateDataset({dataset}) or a dataset node/URI. buildDataset with
// sources and no output opens its guided steps at the review of the parameters it would use.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { guessLayout, layoutLabel, type Listing } from '../../server/dataset/readers/layouts';
import { runJob, type JobOutcome } from '../jobProgress/ui';
import { currentSettings } from '../client/host';
import { BuildDatasetRequest, ValidateRequest, type BuildDatasetParams, type BuildDatasetResult, type ValidateResult } from '../client/methods';
import { requireTrust } from '../settings/trust';
import { SPLITS } from '../../server/dataset/manifestText';
import { jobSpec } from '../../server/jobs/jobTable';
import { buildSteps, rememberedOf, type BuildAnswers, type BuildContext, type RememberedBuild } from '../build/buildSteps';
import { runSteps } from '../ui/runSteps';
import { StepWalk } from '../ui/stepTable';
import { absolute, askPath, choicesOf, fsPathOf, freshFolder, int, pickDatasetFolder, shownPath, str, workspaceRoot, type Workbench } from './common';

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

function sourceSpec(value: unknown): BuildDatasetParams['sources'][number] | undefined {
  const p = fsPathOf(value);
  if (p) return { root: absolute(p) };
  const v = value as { root?: unknown; kind?: unknown; role?: unknown } | null;
  if (v && typeof v.root === 'string') return { root: absolute(v.root), ...(typeof v.kind === 'string' ? { kind: v.kind as never } : {}), ...(typeof v.role === 'string' ? { role: v.role as never } : {}) };
  return undefined;
}

const LAST_BUILD = 'anomalyLens.lastBuildChoices';

async function exists(p: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(p));
    return true;
  } catch {
    return false;
  }
}

/** Build Dataset…'s guided steps; `sources` start the list (else the last build's), `review` ends with the parameters shown. */
async function askBuild(wb: Workbench, sources: string[] | undefined, review: boolean): Promise<Partial<BuildAnswers> | undefined> {
  const settings = currentSettings();
  const remembered = wb.context.workspaceState.get<RememberedBuild>(LAST_BUILD) ?? {};
  const lastSources = [];
  for (const s of remembered.sources ?? []) if (await exists(s)) lastSources.push(s);
  const ctx: BuildContext = {
    settings,
    datasetsFolder: path.join(workspaceRoot() ?? path.dirname(sources?.[0] ?? lastSources[0] ?? process.cwd()), 'datasets'),
    freshFolder,
    describeSource: async (folder) => `layout: ${layoutLabel(guessLayout(await listing(folder)))}`,
    shown: shownPath,
    review,
  };
  const walk = new StepWalk(buildSteps(ctx), { remembered: { ...remembered, sources: sources ?? lastSources } });
  if (review) await walk.proposeUntil('review');
  const answers = await runSteps('Anomaly Lens: Build Dataset', walk);
  if (answers) await wb.context.workspaceState.update(LAST_BUILD, rememberedOf(answers));
  return answers;
}

/**
 * Exit-code style result, as the command line's: 0 built, 2 the user's mistake, 1 a failure, undefined cancelled or nothing run.
 * With an output folder it builds at once; with sources only (the sample's Build button) the guided steps open at their review.
 */
export async function buildDataset(wb: Workbench, arg?: unknown): Promise<number | undefined> {
  await requireTrust('Build Dataset');
  const choices = choicesOf(arg);
  const settings = currentSettings();
  const given = Array.isArray(choices.sources) ? choices.sources.map(sourceSpec).filter((s) => s !== undefined) : sourceSpec(choices.source) ? [sourceSpec(choices.source) as BuildDatasetParams['sources'][number]] : [];
  const outGiven = fsPathOf(choices.output) ?? str(choices.out);
  let sources = given;
  let out = outGiven ? absolute(outGiven) : undefined;
  let mode: NonNullable<BuildDatasetParams['mode']> = (str(choices.mode) as BuildDatasetParams['mode']) ?? settings.regions.mode;
  let eps = int(choices.eps) ?? settings.regions.eps;
  let minPts = int(choices.minPts) ?? settings.regions.minPts;
  let describe = (str(choices.describe) as 'builtin' | 'llm' | undefined) ?? settings.describeProvider;
  if (!out) {
    const initial = given.length ? given.map((s) => s.root) : arg instanceof vscode.Uri ? [arg.fsPath] : undefined;
    const asked = await askBuild(wb, initial, given.length > 0);
    if (!asked?.sources?.length || !asked.out) return undefined;
    const kinds = new Map(given.map((s) => [s.root, s]));
    sources = asked.sources.map((root) => kinds.get(root) ?? { root });
    out = absolute(asked.out);
    mode = asked.mode ?? mode;
    eps = asked.eps ?? eps;
    minPts = asked.minPts ?? minPts;
    describe = asked.describe ?? describe;
  }
  if (sources.length === 0) return undefined;
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
  const built = out;
  const outcome = await runJob<BuildDatasetParams, BuildDatasetResult>(wb.jobs, BuildDatasetRequest, params, jobSpec('buildDataset', params, shownPath), {
    retry: () => buildDataset(wb, { sources, out: built, mode, eps, minPts, describe }),
  });
  await wb.datasets.refresh();
  if (outcome.state === 'finished') {
    const show = 'Show Statistics';
    void vscode.window.showInformationMessage(`Anomaly Lens: dataset built in ${built}.`, show, 'Validate', 'Train').then((answer) => {
      if (answer === show) void vscode.commands.executeCommand('anomalyLens.showStatistics', vscode.Uri.file(built));
      else if (answer === 'Validate') void vscode.commands.executeCommand('anomalyLens.validateDataset', { dataset: built });
      else if (answer === 'Train') void vscode.commands.executeCommand('anomalyLens.trainModel', { dataset: built });
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
