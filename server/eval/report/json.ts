// report.json: the machine-readable report (versioned).
import type { Evaluation } from '../evaluate';
import type { RegionPrediction } from '../records';

export const REPORT_SCHEMA_VERSION = 1;

export interface ReportJson {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  createdAt: string;
  tool: { name: 'anomaly-lens'; version: string };
  inputs: Evaluation['inputs'];
  timing: Evaluation['timing'];
  skipped: Evaluation['skipped'];
  metrics: Evaluation['metrics'];
  problems: Evaluation['problems'];
  /** The regions the HTML gallery shows. */
  gallery: { image: string; region: number }[];
  predictions: RegionPrediction[];
}

export function reportJson(evaluation: Evaluation, gallery: readonly RegionPrediction[], createdAt: string, version: string): ReportJson {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    createdAt,
    tool: { name: 'anomaly-lens', version },
    inputs: evaluation.inputs,
    timing: evaluation.timing,
    skipped: evaluation.skipped,
    metrics: evaluation.metrics,
    problems: evaluation.problems,
    gallery: gallery.map((r) => ({ image: r.image, region: r.region })),
    predictions: evaluation.predictions,
  };
}
