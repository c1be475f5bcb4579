// Which layout a source folder has; the first that matches wins, in this order.
import { join } from 'node:path';
import type { SourceKind } from '../types';
import { anomalyDiffusionObjects } from './anomalyDiffusion';
import { isGenericRoot } from './generic';
import { isFile } from './listing';
import { mvtecObjects } from './mvtec';
import { VISA_SPLIT_FILE } from './visa';

/** The layouts, in detection order, with what identifies each (for messages). */
export const LAYOUTS: readonly { kind: SourceKind; name: string; signature: string }[] = [
  { kind: 'visa', name: 'VisA', signature: 'split_csv/1cls.csv' },
  { kind: 'mvtec', name: 'MVTec AD', signature: '<object>/test/ with <object>/train/ or <object>/ground_truth/ (or the root as one object folder)' },
  { kind: 'anomalydiffusion', name: 'AnomalyDiffusion', signature: '<object>/<defect>/image/ with <object>/<defect>/mask/' },
  { kind: 'generic', name: 'generic folder', signature: '<defect>/ or <object>/<defect>/ folders holding images (masks as <stem>_mask.<ext> or in masks/)' },
];

const MATCHERS: Record<SourceKind, (root: string) => Promise<boolean>> = {
  visa: (root) => isFile(join(root, VISA_SPLIT_FILE)),
  mvtec: async (root) => (await mvtecObjects(root)).length > 0,
  anomalydiffusion: async (root) => (await anomalyDiffusionObjects(root)).length > 0,
  generic: isGenericRoot,
};

export async function detectLayout(root: string): Promise<SourceKind | undefined> {
  for (const { kind } of LAYOUTS) if (await MATCHERS[kind](root)) return kind;
  return undefined;
}
