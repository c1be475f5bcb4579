import { resolve } from 'node:path';
import { openDataset } from '../../dataset/open';
import { computeStats, statsMarkdown } from '../../dataset/stats';
import { Params } from '../params';
import { DatasetStatsRequest, type DatasetStatsResult } from '../protocol';

export async function datasetStats(raw: unknown): Promise<DatasetStatsResult> {
  const dataset = resolve(Params.of(DatasetStatsRequest.method, raw).string('dataset'));
  const { manifest, records } = await openDataset(dataset);
  const stats = computeStats(records, manifest.goodImages);
  return { dataset, counts: manifest.counts, parameters: manifest.parameters, stats, markdown: statsMarkdown(stats) };
}
