// Create Sample Dataset (a job of the child server): the folder and the scale, then an offer to
// build it; and Build the Sample Dataset, which builds the workspace's sample through Build
// Dataset's quick path (its sources filled in, its parameters shown before it builds).
// Non-interactive: createSample({out, scale?, seed?, size?}), buildSample({sample?}).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { jobSpec } from '../../server/jobs/jobTable';
import { CreateSampleRequest, type CreateSampleResult } from '../client/methods';
import { runJob, type JobOutcome } from '../jobProgress/ui';
import { sampleWrittenMessage } from '../sample/sampleChoices';
import { sampleSteps } from '../sample/sampleSteps';
import { findSamples, readSample, type WorkspaceSample } from '../sample/workspaceSamples';
import { requireTrust } from '../settings/trust';
import { runSteps } from '../ui/runSteps';
import { StepWalk } from '../ui/stepTable';
import { absolute, choicesOf, fsPathOf, freshFolder, int, shownPath, str, workspaceRoot, type Workbench } from './common';

const TITLE = 'Anomaly Lens: Create Sample Dataset';

export async function createSample(wb: Workbench, arg?: unknown): Promise<JobOutcome<CreateSampleResult> | undefined> {
  await requireTrust('Create Sample Dataset');
  const choices = choicesOf(arg);
  const scripted = str(choices.out) !== undefined;
  let out: string;
  let scale = int(choices.scale);
  if (scripted) out = absolute(str(choices.out) as string);
  else {
    const asked = await runSteps(TITLE, new StepWalk(sampleSteps({ root: workspaceRoot() ?? process.cwd(), freshFolder }), { given: scale !== undefined ? { scale } : {} }));
    if (!asked?.out || asked.scale === undefined) return undefined;
    out = absolute(asked.out);
    scale = asked.scale;
  }
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
