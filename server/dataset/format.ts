// The on-disk dataset format (docs/dataset.md): dataset.json + {train,val,test}.jsonl + region PNGs.
// Types only (the protocol shares them); the version number is in formatVersion.ts.
import type { DescriptionEntry } from '../describe/types';
import type { SplitMode } from '../masks/types';
import type { DescribeMode, SourceKind, Split } from './types';

export type { DescriptionEntry, DescriptionProvenance } from '../describe/types';

export interface RegionRecord {
  /** Region mask PNG, relative to the dataset root. */
  mask: string;
  bbox: [number, number, number, number];
  area: number;
  defect: string;
  description: string;
  classId?: number;
}

export interface ImageRecord {
  /** Image path relative to the dataset root (confined to it). */
  image: string;
  object: string;
  defect: string;
  width: number;
  height: number;
  regions: RegionRecord[];
}

export interface DatasetSourceInfo {
  kind: SourceKind;
  root: string;
  /** Which splits this source fed. */
  splits: Split[];
}

export interface BuildParameters {
  mode: SplitMode;
  eps: number;
  minPts: number;
  minArea: number;
  threshold: number;
  /** Threshold applied to JPEG masks (the mask reader's lossy-format default unless --threshold was given). */
  jpegThreshold?: number;
  splitSeed: number;
  valRatio: number;
  describe: DescribeMode;
}

export interface DatasetManifest {
  formatVersion: number;
  createdAt: string;
  tool: { name: 'anomaly-lens'; version: string };
  sources: DatasetSourceInfo[];
  parameters: BuildParameters;
  objects: string[];
  defects: { object: string; defect: string }[];
  descriptions: DescriptionEntry[];
  counts: Record<Split, { images: number; regions: number }>;
  /** Normal (defect-free) images per object found in the sources; they carry no regions and get no records. */
  goodImages?: Record<string, number>;
}
