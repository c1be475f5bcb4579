// @pure: the child server's protocol (index.ts).
// The child server's protocol (see index.ts): masks and datasets — splitting a mask, a dataset's
// statistics, building, the sample dataset and the full check.
import { RequestType } from 'vscode-jsonrpc';
import type { BuildRequest, BuildResult } from '../../dataset/buildTypes';
import type { DatasetManifest } from '../../dataset/format';
import type { DatasetExportFormat, DatasetExportRequest, DatasetExportResult } from '../../dataset/export/exportTypes';
import type { DatasetStats } from '../../dataset/statsTypes';
import type { SourceSpec, Split } from '../../dataset/types';
import type { SplitMaskParams, SplitMode } from '../../masks/types';
import type { ProgressToken } from './jobs';

export type { BuildResult, DatasetManifest, DatasetStats, DatasetExportFormat, DatasetExportResult, SourceSpec, SplitMaskParams, SplitMode };

// anomalyLens/splitMask: a mask split into its individual anomaly regions (paper eq. 4).

export interface SplitMaskRegion {
  index: number;
  area: number;
  /** [x, y, width, height]. */
  bbox: [number, number, number, number];
  classId?: number;
}

export interface SplitMaskResult {
  mask: string;
  width: number;
  height: number;
  regions: SplitMaskRegion[];
  /** Foreground pixels DBSCAN left in no region. */
  noise: number;
  /** Regions removed by minArea. */
  dropped: number;
  distinctValues: number[];
  warnings: string[];
}

export const SplitMaskRequest = new RequestType<SplitMaskParams, SplitMaskResult, void>('anomalyLens/splitMask');

// ---------------------------------------------------------------------------------------------
// anomalyLens/datasetStats: the statistics of a built dataset (paper Tables 1 and 2).

export interface DatasetStatsParams {
  dataset: string;
  /**
   * The tables of the records that can be read, with the lines that cannot (`unreadable`), rather
   * than refusing a dataset that fails validate's cheap checks; no search for duplicates (`warnings`
   * stays empty). What Show Dataset Statistics shows of a dataset being edited.
   */
  partial?: boolean;
}

export interface DatasetStatsResult {
  dataset: string;
  counts: DatasetManifest['counts'];
  parameters: DatasetManifest['parameters'];
  stats: DatasetStats;
  /** The same tables as Markdown. */
  markdown: string;
  /** Duplicate records that validate cannot see (the same image content twice, a region listed twice). */
  warnings: string[];
  /** With `partial`: each split file's lines left out of the tables ("line 3: not valid JSON: …"). */
  unreadable?: Record<Split, string[]>;
}

export const DatasetStatsRequest = new RequestType<DatasetStatsParams, DatasetStatsResult, void>('anomalyLens/datasetStats');

// ---------------------------------------------------------------------------------------------
// anomalyLens/buildDataset: sources -> region-level dataset. Progress: ProgressNotification.
// Cancelling stops scheduling images and resolves with `cancelled: true` (the dataset is left
// as it was; the images done stay in the build cache for the next build).

export interface BuildDatasetParams extends BuildRequest {
  jobId?: string;
  progressToken?: ProgressToken;
}

export type BuildDatasetResult = { cancelled: false; result: BuildResult } | { cancelled: true; done: number; total: number };

export const BuildDatasetRequest = new RequestType<BuildDatasetParams, BuildDatasetResult, void>('anomalyLens/buildDataset');

// ---------------------------------------------------------------------------------------------
// anomalyLens/createSample: the procedurally drawn sample dataset (`anomaly-lens sample`).

export interface CreateSampleParams {
  out: string;
  seed?: number;
  /** Multiplier on the image counts (default 1). */
  scale?: number;
  /** Image width and height in pixels (default 128). */
  size?: number;
  jobId?: string;
  progressToken?: ProgressToken;
}

export interface CreateSampleResult {
  out: string;
  /** The AnomalyDiffusion-layout source (train+val). */
  synthetic: string;
  /** The MVTec-layout source (test). */
  mvtec: string;
  images: number;
}

export const CreateSampleRequest = new RequestType<CreateSampleParams, CreateSampleResult, void>('anomalyLens/createSample');

// ---------------------------------------------------------------------------------------------
// anomalyLens/validate: the full check of a built dataset (`anomaly-lens validate`).

export interface ValidateParams {
  dataset: string;
  jobId?: string;
  progressToken?: ProgressToken;
}

export interface ValidateProblem {
  file: string;
  line?: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface ValidateResult {
  dataset: string;
  valid: boolean;
  problems: ValidateProblem[];
  counts: Record<'train' | 'val' | 'test', { images: number; regions: number }>;
}

export const ValidateRequest = new RequestType<ValidateParams, ValidateResult, void>('anomalyLens/validate');

// ---------------------------------------------------------------------------------------------
// anomalyLens/exportDataset: a built dataset written as COCO or as anomalib's Folder layout
// (`anomaly-lens export-dataset`); put in place of `out` only once complete.

export interface ExportDatasetParams extends DatasetExportRequest {
  jobId?: string;
  progressToken?: ProgressToken;
}

export type ExportDatasetResult = DatasetExportResult;

export const ExportDatasetRequest = new RequestType<ExportDatasetParams, ExportDatasetResult, void>('anomalyLens/exportDataset');
