// Source dataset readers: list the samples of a source dataset and the structural problems
// found on the way.  Cheap checks only (existence, extension, size); pixels are decoded by
// the build.  The source is only read, never written.
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../util/errors';
import type { SourceDataset, SourceKind, SourceSample } from '../types';
import { readAnomalyDiffusion } from './anomalyDiffusion';
import { readCoco } from './coco';
import { confineSamples } from './confine';
import { detectLayout } from './detect';
import { readGeneric } from './generic';
import { readLabelme } from './labelme';
import { readMvtec } from './mvtec';
import { compareStrings, ProblemLog } from './problems';
import { readVisa } from './visa';

import { LAYOUTS } from './layouts';

export { LAYOUTS } from './layouts';

export interface ReadSourceOptions {
  /** Force a layout instead of detecting it. */
  kind?: SourceKind;
}

const READERS: Record<SourceKind, (root: string, problems: ProblemLog) => Promise<SourceSample[]>> = {
  mvtec: readMvtec,
  visa: readVisa,
  anomalydiffusion: readAnomalyDiffusion,
  coco: readCoco,
  labelme: readLabelme,
  generic: readGeneric,
};

async function checkRoot(root: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(root);
  } catch {
    throw new UserError('source dataset folder does not exist', root);
  }
  if (!stat.isDirectory()) throw new UserError('source dataset is not a folder', root);
  try {
    await fs.readdir(root);
  } catch (err) {
    throw new UserError(`cannot read source dataset folder (${(err as { code?: string }).code ?? String(err)})`, root);
  }
}

/** Detects the layout of a source dataset and lists its samples; problems are collected, not thrown. */
export async function readSource(root: string, options: ReadSourceOptions = {}): Promise<SourceDataset> {
  const dir = resolve(root);
  await checkRoot(dir);
  const kind = options.kind ?? (await detectLayout(dir));
  if (!kind) {
    const looked = LAYOUTS.map((l) => `${l.name} (${l.signature})`).join('; ');
    throw new UserError(`no known dataset layout; looked for ${looked}`, dir);
  }
  const problems = new ProblemLog();
  const samples = confineSamples(dir, await READERS[kind](dir, problems), problems);
  samples.sort((a, b) => compareStrings(a.image, b.image));
  return { kind, root: dir, samples, problems: problems.sorted() };
}
