// The statistics of a built dataset (paper Tables 1 and 2): the one function the command line
// and the child server both call.  The dataset is refused when it fails validate's cheap checks.
import { resolve } from 'node:path';
import { openDataset } from '../dataset/open';
import { duplicateWarnings } from '../dataset/duplicates';
import { computeStats, statsMarkdown } from '../dataset/stats';
import type { DatasetManifest } from '../dataset/format';
import type { DatasetStats } from '../dataset/statsTypes';

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
