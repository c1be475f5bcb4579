// Create Sample Dataset (a job of the child server): the folder and the scale, then an offer to
// build it; and Build the Sample Dataset, which builds the workspace's sample through Build
// Dataset's quick path (its sources filled in, its parameters shown before it builds).
// Non-interactive: createSample({out, scale?, seed?, size?}), buildSample({sample?}).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SAMPLE_DEFAULTS } from '../../server/sample/defaults';
import { jobSpec } from '../../server/jobs/jobTable';
import { CreateSampleRequest, type CreateSampleResult } from '../client/methods';
import { runJob, type JobOutcome } from '../jobProgress/ui';
import { sampleWrittenMessage, scaleChoices, type ScaleChoice } from '../sample/sampleChoices';
import { findSamples, readSample, type WorkspaceSample } from '../sample/workspaceSamples';
import { requireTrust } from '../settings/trust';
import { absolute, askPath, choicesOf, fsPathOf, freshFolder, int, shownPath, str, workspaceRoot, type Workbench } from './common';

const TITLE = 'Anomaly Lens: Create Sample Dataset';

/** The scale, the default active so that Enter takes it; undefined when dismissed. */
function askScale(): Promise<number | undefined> {
  const pick = vscode.window.createQuickPick<ScaleChoice>();
  pick.title = `${TITLE} — size of the sample`;
  pick.placeholder = 'How many images to draw (the folder already chosen)';
  pick.items = scaleChoices();
  pick.activeItems = pick.items.filter((c) => c.scale === SAMPLE_DEFAULTS.scale);
  // Run from the walkthrough, the page takes the focus back as it redraws its steps.
  pick.ignoreFocusOut = true;
  return new Promise((resolve) => {
    let chosen: number | undefined;
    pick.onDidAccept(() => {
      chosen = (pick.selectedItems[0] ?? pick.activeItems[0])?.scale;
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(chosen);
    });
    pick.show();
  });
}

export async function createSample(wb: Workbench, arg?: unknown): Promise<JobOutcome<CreateSampleResult> | undefined> {
  await requireTrust('Create Sample Dataset');
  const choices = choicesOf(arg);
  const scripted = str(choices.out) !== undefined;
  const root = workspaceRoot() ?? process.cwd();
  const out = scripted ? absolute(str(choices.out) as string) : await askPath('folder of the sample dataset', await freshFolder(root, 'sample'));
  if (!out) return undefined;
  const scale = int(choices.scale) ?? (scripted ? undefined : await askScale());
  if (!scripted && scale === undefined) return undefined;
  const params = { out, seed: int(choices.seed), scale, size: int(choices.size) };
  const outcome = await runJob(wb.jobs, CreateSampleRequest, params, jobSpec('createSample', params, shownPath), { retry: () => createSample(wb, { ...choices, out, scale }) });
  if (outcome.state === 'finished') {
    const r = outcome.result;
    const build = 'Build Dataset';
    void vscode.window.showInformationMessage(sampleWrittenMessage(r, shownPath), build).then((a) => {
      if (a === build) void vscode.commands.executeCommand('anomalyLens.buildDataset', { sources: [r.synthetic, r.mvtec] });
    });
  }
  return outcome;
}

async function pickSample(samples: WorkspaceSample[]): Promise<WorkspaceSample | undefined> {
  if (samples.length <= 1) return samples[0];
  const picked = await vscode.window.showQuickPick(
    samples.map((s) => ({ label: shownPath(s.folder), sample: s })),
    { title: 'Anomaly Lens: Build the Sample Dataset — which sample' },
  );
  return picked?.sample;
}

/** Builds the sample of `{sample}` (its folder) or the workspace's, through Build Dataset with its two sources. */
export async function buildSample(wb: Workbench, arg?: unknown): Promise<unknown> {
  await requireTrust('Build Dataset');
  const given = fsPathOf(choicesOf(arg).sample);
  let sample: WorkspaceSample | undefined;
  if (given) {
    const manifest = path.join(absolute(given), 'sample.json');
    sample = await readSample(manifest);
    if (!sample) {
      void vscode.window.showErrorMessage(`Anomaly Lens: ${manifest} is not the manifest of a complete sample.`);
      return undefined;
    }
  } else {
    const samples = await findSamples();
    if (samples.length === 0) {
      const create = 'Create Sample Dataset';
      if ((await vscode.window.showInformationMessage('Anomaly Lens: there is no sample in this workspace yet.', create)) === create) return createSample(wb);
      return undefined;
    }
    sample = await pickSample(samples);
  }
  if (!sample) return undefined;
  return vscode.commands.executeCommand('anomalyLens.buildDataset', { sources: [sample.synthetic, sample.mvtec] });
}
