// Reading and writing a dataset's manifest files: dataset.json and {train,val,test}.jsonl.
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempPathFor } from '../util/atomicWrite';
import { UserError, errorMessage } from '../util/errors';
import type { DatasetManifest, ImageRecord } from './format';
import { MANIFEST_FILE, SPLITS, parseJsonl, splitFile, toJsonl, type SplitRecords } from './manifestText';
import type { Split } from './types';
import { checkImageRecord, checkManifest } from './schema';

export { MANIFEST_FILE, SPLITS, emptySplits, parseJsonl, splitFile, toJsonl } from './manifestText';
export type { JsonlLine, SplitRecords } from './manifestText';

/**
 * Writes several files so that the window in which some are new and some old is as short
 * as possible: every file is written to a temp name first, then all are renamed in order.
 */
export async function writeFilesTogether(files: readonly { path: string; data: string }[]): Promise<void> {
  const temps = files.map((f) => tempPathFor(f.path));
  try {
    await Promise.all(
      files.map(async (f, i) => {
        await fs.mkdir(dirname(f.path), { recursive: true });
        await fs.writeFile(temps[i], f.data);
      }),
    );
    for (let i = 0; i < files.length; i++) await fs.rename(temps[i], files[i].path);
  } catch (err) {
    await Promise.all(temps.map((t) => fs.rm(t, { force: true })));
    throw err;
  }
}

/** Writes the split files and then dataset.json (last, so it only ever describes complete splits). */
export async function writeDataset(dir: string, manifest: DatasetManifest, records: SplitRecords): Promise<void> {
  await writeFilesTogether([
    ...SPLITS.map((split) => ({ path: join(dir, splitFile(split)), data: toJsonl(records[split]) })),
    { path: join(dir, MANIFEST_FILE), data: `${JSON.stringify(manifest, null, 2)}\n` },
  ]);
}

async function readText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read: ${errorMessage(err)}`, file);
  }
}

export async function readManifest(dir: string): Promise<DatasetManifest> {
  const file = join(dir, MANIFEST_FILE);
  let value: unknown;
  try {
    value = JSON.parse(await readText(file));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`not valid JSON: ${errorMessage(err)}`, file);
  }
  const errors = checkManifest(value);
  if (errors.length > 0) throw new UserError(`not a valid dataset manifest: ${errors.join('; ')}`, file);
  return value as DatasetManifest;
}

/** Reads one split's records; the first malformed line is a UserError naming file:line. */
export async function readSplit(dir: string, split: Split): Promise<ImageRecord[]> {
  const file = join(dir, splitFile(split));
  const records: ImageRecord[] = [];
  for (const { line, value, error } of parseJsonl(await readText(file))) {
    const errors = error ? [error] : checkImageRecord(value);
    if (errors.length > 0) throw new UserError(errors.join('; '), `${file}:${line}`);
    records.push(value as ImageRecord);
  }
  return records;
}

/** Reads a dataset for statistics and training (shape-checked; run `validate` for the full check). */
export async function readDataset(dir: string): Promise<{ manifest: DatasetManifest; records: SplitRecords }> {
  const manifest = await readManifest(dir);
  const [train, val, test] = await Promise.all(SPLITS.map((s) => readSplit(dir, s)));
  return { manifest, records: { train, val, test } };
}
