// What a build reports (types only: the protocol shares them).
import type { Problem } from '../util/problem';
import type { DatasetStats } from './statsTypes';
import type { SourceKind, SourceRole, Split } from './types';

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
