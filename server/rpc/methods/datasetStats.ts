import { datasetStatistics, partialStatistics } from '../../jobs/stats';
import { Params } from '../params';
import { DatasetStatsRequest, type DatasetStatsResult } from '../protocol';

export async function datasetStats(raw: unknown): Promise<DatasetStatsResult> {
  const params = Params.of(DatasetStatsRequest.method, raw);
  const dir = params.string('dataset');
  if (params.optionalBoolean('partial')) {
    const { dataset, manifest, stats, markdown, unreadable } = await partialStatistics(dir);
    return { dataset, counts: manifest.counts, parameters: manifest.parameters, stats, markdown, warnings: [], unreadable };
  }
  const { dataset, manifest, stats, markdown, warnings } = await datasetStatistics(dir);
  return { dataset, counts: manifest.counts, parameters: manifest.parameters, stats, markdown, warnings };
}
