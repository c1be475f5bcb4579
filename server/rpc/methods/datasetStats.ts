import { datasetStatistics } from '../../jobs/stats';
import { Params } from '../params';
import { DatasetStatsRequest, type DatasetStatsResult } from '../protocol';

export async function datasetStats(raw: unknown): Promise<DatasetStatsResult> {
  const { dataset, manifest, stats, markdown, warnings } = await datasetStatistics(Params.of(DatasetStatsRequest.method, raw).string('dataset'));
  return { dataset, counts: manifest.counts, parameters: manifest.parameters, stats, markdown, warnings };
}
