// The statistics of a built dataset (paper Tables 1 and 2): the functions the command line and
// the child server call.  The dataset is refused when it fails validate's cheap checks; the
// partial statistics (Show Dataset Statistics) count the records that can be read instead.
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDataset } from '../dataset/open';
import { duplicateWarnings } from '../dataset/duplicates';
import { readManifest } from '../dataset/manifest';
import { SPLITS, parseSplit, splitFile, type SplitContents } from '../dataset/manifestText';
import { computeStats, statsMarkdown } from '../dataset/stats';
import { readSteady } from '../dataset/steadyRead';
import type { DatasetManifest } from '../dataset/format';
import type { DatasetStats } from '../dataset/statsTypes';
import type { Split } from '../dataset/types';
import { errorMessage } from '../util/errors';

export interface DatasetStatistics {
  dataset: string;
  manifest: DatasetManifest;
  stats: DatasetStats;
  markdown: string;
  /** Duplicate records validate cannot see (the same image content twice, a region listed twice). */
  warnings: string[];
}

export async function datasetStatistics(dir: string): Promise<DatasetStatistics> {
  const dataset = resolve(dir);
  const { manifest, records } = await openDataset(dataset);
  const stats = computeStats(records, manifest.goodImages);
  return { dataset, manifest, stats, markdown: statsMarkdown(stats), warnings: duplicateWarnings(dataset, records) };
}

export interface PartialStatistics extends Omit<DatasetStatistics, 'warnings'> {
  /** Each split file's lines left out of the tables, as "line N: problem". */
  unreadable: Record<Split, string[]>;
}

async function readSplitContents(dataset: string, split: Split): Promise<SplitContents> {
  try {
    return parseSplit(await fs.readFile(join(dataset, splitFile(split)), 'utf8'));
  } catch (err) {
    const missing = (err as { code?: unknown } | null)?.code === 'ENOENT';
    return { records: [], problems: [missing ? 'file is missing' : `cannot read: ${errorMessage(err)}`] };
  }
}

/**
 * The statistics of the records of a dataset that can be read, with the lines that cannot: a
 * dataset.json that cannot be read is refused, but a split file's bad lines (or a missing split
 * file) are only left out.  Read as one version of the dataset; nothing else is checked.
 */
export async function partialStatistics(dir: string): Promise<PartialStatistics> {
  const dataset = resolve(dir);
  const { manifest, splits } = await readSteady(dataset, async () => {
    const manifest = await readManifest(dataset);
    const [train, val, test] = await Promise.all(SPLITS.map((split) => readSplitContents(dataset, split)));
    return { manifest, splits: { train, val, test } };
  });
  const stats = computeStats({ train: splits.train.records, val: splits.val.records, test: splits.test.records }, manifest.goodImages);
  const unreadable = { train: splits.train.problems, val: splits.val.problems, test: splits.test.problems };
  return { dataset, manifest, stats, markdown: statsMarkdown(stats), unreadable };
}
