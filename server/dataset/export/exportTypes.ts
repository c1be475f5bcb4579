// What exporting a built dataset is asked for and what it reports (types only: the protocol shares them).
import type { Problem } from '../../util/problem';

/** `coco`: COCO instance segmentation (RLE masks); `anomalib`: anomalib's Folder layout. */
export type DatasetExportFormat = 'coco' | 'anomalib';

export interface DatasetExportRequest {
  /** The built dataset's folder (holds dataset.json). */
  dataset: string;
  format: DatasetExportFormat;
  /** The folder to write: new, empty, or an earlier export (replaced once the new one is complete). */
  out: string;
}

export interface DatasetExportResult {
  dataset: string;
  format: DatasetExportFormat;
  out: string;
  /** Anomalous images written (with their masks or annotations). */
  images: number;
  regions: number;
  /** COCO: categories written, one per class (object, defect) with its description. */
  categories: number;
  /** anomalib: normal images copied from the dataset's sources. */
  normalImages: number;
  objects: string[];
  problems: Problem[];
}
