// Dataset statistics as the paper's Tables 1 and 2 lay them out (types only: the protocol shares them).
import type { Split } from './types';

export type SplitCounts = Record<Split, number>;

export interface CountRow {
  label: string;
  counts: SplitCounts;
  total: number;
}

export interface DefectRow {
  object: string;
  defect: string;
  counts: SplitCounts;
  total: number;
}

export interface DatasetStats {
  /** Table 1: anomalous images per object and split. */
  objects: CountRow[];
  objectsTotal: CountRow;
  /** Table 2: images by their number of regions (1, 2, 3, 4+; a `0` row only if such images exist). */
  regionsPerImage: CountRow[];
  regionsPerImageTotal: CountRow;
  /** Regions per (object, defect) class of the region. */
  defects: DefectRow[];
  defectsTotal: CountRow;
  /** Normal images per object found in the sources (no records). */
  goodImages: Record<string, number>;
}
