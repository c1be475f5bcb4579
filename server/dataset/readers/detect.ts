// Which layout a source folder has: the first of LAYOUTS (layouts.ts) that matches wins.
import { join } from 'node:path';
import type { SourceKind } from '../types';
import { anomalyDiffusionObjects } from './anomalyDiffusion';
import { isCocoRoot } from './coco';
import { isGenericRoot } from './generic';
import { isLabelmeRoot } from './labelme';
import { LAYOUTS } from './layouts';
import { isFile } from './listing';
import { mvtecObjects } from './mvtec';
import { VISA_SPLIT_FILE } from './visa';

const MATCHERS: Record<SourceKind, (root: string) => Promise<boolean>> = {
  visa: (root) => isFile(join(root, VISA_SPLIT_FILE)),
  mvtec: async (root) => (await mvtecObjects(root)).length > 0,
  anomalydiffusion: async (root) => (await anomalyDiffusionObjects(root)).length > 0,
  coco: isCocoRoot,
  labelme: isLabelmeRoot,
  generic: isGenericRoot,
};

export async function detectLayout(root: string): Promise<SourceKind | undefined> {
  for (const { kind } of LAYOUTS) if (await MATCHERS[kind](root)) return kind;
  return undefined;
}
