// @pure: the formats a built dataset is exported as, with their names for people.
import type { DatasetExportFormat } from './exportTypes';

export const EXPORT_FORMATS: readonly DatasetExportFormat[] = ['coco', 'anomalib'];

export const EXPORT_FORMAT_LABELS: Record<DatasetExportFormat, { name: string; detail: string }> = {
  coco: { name: 'COCO', detail: 'annotations.json with images/: one RLE mask per region, one category per class with its description' },
  anomalib: { name: 'anomalib Folder', detail: "<object>/normal, abnormal and mask folders, as anomalib's Folder datamodule reads them" },
};

/** The name of the file an export leaves in its folder, saying what wrote it (an export is replaced only where this file is). */
export const EXPORT_MARKER = 'anomaly-lens-export.json';
