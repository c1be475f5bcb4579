// The images of one dataset split with their files resolved inside the dataset root.
import { join, resolve } from 'node:path';
import type { DatasetManifest, ImageRecord } from '../dataset/format';
import { splitFile, type SplitRecords } from '../dataset/manifest';
import { openDataset } from '../dataset/open';
import type { Split } from '../dataset/types';
import { type Problem, UserError, errorMessage } from '../util/errors';
import { resolveInsideReal } from '../util/paths';

export interface EvalImage {
  record: ImageRecord;
  imageFile: string;
  maskFiles: string[];
}

export interface EvalSplit {
  root: string;
  manifest: DatasetManifest;
  split: Split;
  splitFile: string;
  /** Every record of the split, including those whose paths were refused. */
  records: ImageRecord[];
  /** Every record of every split, as the dataset was opened. */
  datasetRecords: SplitRecords;
  images: EvalImage[];
  problems: Problem[];
}

/** Opens the dataset (refused when it fails validate's cheap checks) and resolves one split's files inside its root. */
export async function loadEvalSplit(dir: string, split: Split): Promise<EvalSplit> {
  const root = resolve(dir);
  const { manifest, records: all } = await openDataset(root);
  const records = all[split];
  const file = join(root, splitFile(split));
  const images: EvalImage[] = [];
  const problems: Problem[] = [];
  records.forEach((record, i) => {
    if (record.regions.length === 0) return;
    try {
      images.push({
        record,
        imageFile: resolveInsideReal(root, record.image, `${file}:${i + 1}`),
        maskFiles: record.regions.map((region) => resolveInsideReal(root, region.mask, `${file}:${i + 1}`)),
      });
    } catch (err) {
      problems.push({ file: `${file}:${i + 1}`, message: err instanceof UserError ? err.message : errorMessage(err), severity: 'error' });
    }
  });
  return { root, manifest, split, splitFile: file, records, datasetRecords: all, images, problems };
}
