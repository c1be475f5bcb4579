// Opening a built dataset for use (stats, eval, training): finish a switch a dead build left
// half done, read it, and refuse it when it fails validate's cheap checks.  A build switching
// the dataset while it is read is noticed (its COMMIT note, a new dataset.json) and the read
// is tried again, so a reader sees the old dataset or the new one, never a mix.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors';
import { MANIFEST_FILE, type SplitRecords } from './manifest';
import { COMMIT_NOTE, finishInterruptedSwitch } from './switch';
import { stateFiles } from './stateDir';
import { checkDataset } from './validate';
import type { DatasetManifest } from './format';

async function switchState(dir: string): Promise<string> {
  const [note, manifest] = await Promise.all([
    fs.lstat(join(stateFiles(dir).staging, COMMIT_NOTE)).then(() => true, () => false),
    fs.stat(join(dir, MANIFEST_FILE)).then((s) => `${s.ino}:${s.mtimeMs}:${s.size}`, () => 'none'),
  ]);
  return `${note}|${manifest}`;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface OpenedDataset {
  manifest: DatasetManifest;
  records: SplitRecords;
}

export async function openDataset(dir: string): Promise<OpenedDataset> {
  for (let attempt = 0; ; attempt++) {
    await finishInterruptedSwitch(dir);
    const before = await switchState(dir);
    const { result: check, manifest, records } = await checkDataset(dir, { decode: false });
    const opened = check.valid && manifest ? { manifest, records } : undefined;
    const after = await switchState(dir);
    const steady = before === after && !before.startsWith('true');
    if (!steady && attempt < 20) {
      await pause(50);
      continue;
    }
    if (opened) return opened;
    const errors = check.problems.filter((p) => p.severity === 'error');
    const first = errors[0];
    throw new UserError(
      `${first.message}; ${dir} is not a valid dataset (${errors.length} problem(s)), see \`anomaly-lens validate ${dir}\``,
      first.line !== undefined ? `${first.file}:${first.line}` : first.file,
    );
  }
}
