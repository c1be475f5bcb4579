// What a build is asked for and what it reports (types only: the protocol shares them).
import type { SplitMode } from '../masks/types';
import type { Problem } from '../util/problem';
import type { DatasetStats } from './statsTypes';
import type { DescribeMode, SourceKind, SourceRole, SourceSpec, Split } from './types';

/** A build's sources, output and settings (the CLI's options, the buildDataset request); one left out takes its default (buildDefaults.ts). */
export interface BuildRequest {
  /** Source folders; `role` and `kind` as the CLI's SOURCE:role:kind suffixes. */
  sources: SourceSpec[];
  out: string;
  mode?: SplitMode;
  eps?: number;
  minPts?: number;
  minArea?: number;
  /** Mask values above it are anomaly; absent = the mask reader's default (0, or 127 for JPEG masks). */
  threshold?: number;
  valRatio?: number;
  seed?: number;
  /** Worker threads; default all cores; 0 = in the builder's thread. */
  workers?: number;
  describe?: DescribeMode;
  llmModel?: string;
  llmBaseUrl?: string;
  /** Curated descriptions (JSON) applied over either mode. */
  overrides?: string;
}

export interface BuildSourceSummary {
  root: string;
  kind: SourceKind;
  role: SourceRole;
  splits: Split[];
  anomalousImages: number;
  goodImages: number;
}

export interface BuildResult {
  out: string;
  sources: BuildSourceSummary[];
  counts: Record<Split, { images: number; regions: number }>;
  images: {
    /** Anomalous images the build looked at. */
    total: number;
    /** Decoded and split in this run. */
    processed: number;
    /** Reused from the build cache without decoding. */
    cached: number;
    /** Dropped because of an error or a warning that leaves no region. */
    skipped: number;
  };
  workers: number;
  seconds: number;
  /** Processed (not cached) images per second of the processing phase. */
  imagesPerSecond: number;
  descriptions: number;
  errors: number;
  warnings: number;
  problems: Problem[];
  stats: DatasetStats;
}
