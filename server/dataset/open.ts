// Opening a built dataset for use (stats, eval, training): read it as one version, old or new
// (a switch a dead build left half done is finished, one under way is waited for, a read during
// a switch is done again: steadyRead.ts), and refuse it when it fails validate's cheap checks.
import { UserError } from '../util/errors';
import type { SplitRecords } from './manifest';
import { checkDataset } from './validate';
import type { DatasetManifest } from './format';

export interface OpenedDataset {
  manifest: DatasetManifest;
  records: SplitRecords;
}

export async function openDataset(dir: string): Promise<OpenedDataset> {
  const { result: check, manifest, records } = await checkDataset(dir, { decode: false });
  if (check.valid && manifest) return { manifest, records };
  const errors = check.problems.filter((p) => p.severity === 'error');
  const first = errors[0];
  throw new UserError(
    `${first.message}; ${dir} is not a valid dataset (${errors.length} problem(s)), see \`anomaly-lens validate ${dir}\``,
    first.line !== undefined ? `${first.file}:${first.line}` : first.file,
  );
}
