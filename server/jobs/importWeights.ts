// One import job (`anomaly-lens import-weights`, anomalyLens/importWeights): published CLIP (and
// AlphaCLIP) weights, given by the user, as a model bundle.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ClipTokenizer, writeTokenFile } from '../model/tokenizer';
import { UserError } from '../util/errors';
import { checkOutputFolder } from '../util/outputPath';
import type { TrainerJobHooks } from './exportRun';
import { findPython, type PythonInfo } from './findPython';
import { runTrainer } from './runner';
import { datasetDescriptions } from './trainSetup';
import type { DoneEvent } from './trainProgressTypes';

export interface ImportInput {
  clip: string;
  alpha?: string;
  /** CLIP's BPE merges file. */
  vocab: string;
  out: string;
  outLabel?: string;
  wholeImage?: boolean;
  /** Also store the text embeddings of this dataset's descriptions. */
  dataset?: string;
  python?: string | PythonInfo;
}

/** The licences of the published weights, for the user to read before using them. */
export function weightLicences(input: Pick<ImportInput, 'alpha'>): string[] {
  const licences = ['OpenAI CLIP weights: MIT licence (github.com/openai/CLIP)'];
  if (input.alpha) licences.push('AlphaCLIP visual checkpoints: research use only (github.com/SunzeY/AlphaCLIP)');
  return licences;
}

export async function importWeights(input: ImportInput, hooks: TrainerJobHooks = {}): Promise<{ bundle: string; licences: string[]; event: DoneEvent }> {
  checkOutputFolder(input.out, input.outLabel);
  const python = typeof input.python === 'object' ? input.python : await findPython(input.python);
  const args = ['import-weights', '--clip', resolve(input.clip), '--merges', resolve(input.vocab), '--out', resolve(input.out)];
  if (input.alpha) args.push('--alpha', resolve(input.alpha));
  if (input.wholeImage) args.push('--whole-image');
  const scratch = input.dataset ? await mkdtemp(join(tmpdir(), 'anomaly-lens-import-')) : undefined;
  try {
    if (input.dataset && scratch) {
      const tokens = join(scratch, 'tokens.json');
      await writeTokenFile(await datasetDescriptions(resolve(input.dataset)), ClipTokenizer.fromFile(input.vocab), tokens);
      args.push('--tokens', tokens);
    }
    const outcome = await runTrainer({ python: python.executable, args, signal: hooks.signal, onEvent: hooks.onEvent, onStderr: hooks.onLog });
    if (outcome.kind !== 'done') throw new UserError('the import was stopped before the bundle was written');
    return { bundle: String(outcome.event.paths.bundle ?? resolve(input.out)), licences: weightLicences(input), event: outcome.event };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
