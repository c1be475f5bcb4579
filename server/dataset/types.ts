// Types of source datasets and splits (types only: the protocol and the engine share them).
import type { DrawnRegion } from '../masks/shapeTypes';
import type { Problem } from '../util/problem';

export type SourceKind = 'mvtec' | 'visa' | 'anomalydiffusion' | 'coco' | 'labelme' | 'generic';
export type Split = 'train' | 'val' | 'test';
/** Where a build's descriptions come from (buildDefaults.ts lists them). */
export type DescribeMode = 'builtin' | 'llm';

/** One image of a source dataset, as a reader finds it (paths absolute). */
export interface SourceSample {
  image: string;
  /** Ground-truth mask; absent for good images. */
  mask?: string;
  /**
   * When the ground truth is several mask files (MVTec LOCO AD: one per annotated defect), all of
   * them, `mask` first: each is split into regions of its own, and their regions make the image's.
   */
  masks?: string[];
  object: string;
  /** Defect folder / class name; 'good' for normal images. */
  defect: string;
  /** The split the source itself assigns, when it has one (VisA's csv, MVTec's train/test). */
  split?: Split | 'train-good';
  /**
   * For class-id masks: mask value -> defect name (VisA, MVTec 3D `class_ids.json`,
   * the sample dataset).  Regions then take their defect from their own value.
   */
  classNames?: Record<number, string>;
  /**
   * Defect names the source lists for this image when it does not say which region is
   * which (VisA's image_anno.csv naming several defects); `defect` is then generic.
   */
  labels?: string[];
  /**
   * Regions the source draws as shapes instead of painting them in a mask (COCO, LabelMe):
   * each is one region, with its own defect; `file` is the annotation file that draws them.
   */
  drawn?: { file: string; regions: DrawnRegion[] };
}

export interface SourceDataset {
  kind: SourceKind;
  root: string;
  samples: SourceSample[];
  problems: Problem[];
}

export type SourceRole = 'train+val' | 'train' | 'val' | 'test';

export interface SourceSpec {
  root: string;
  /** Forced role; otherwise `defaultRole(kind)`. */
  role?: SourceRole;
  /** Forced layout; otherwise the reader detects it. */
  kind?: SourceKind;
}
