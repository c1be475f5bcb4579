// @pure: a build's defaults, filled in by buildDataset and shown by the CLI's help and the
// extension's settings: the paper's region split, its 71/29 train/val ratio, the split seed,
// built-in descriptions.
import { SPLIT_DEFAULTS } from '../masks/splitDefaults';
import type { DescribeMode } from './types';

/** Where a build's descriptions come from: composed from the names, or rewritten by an LLM. */
export const DESCRIBE_MODES: readonly DescribeMode[] = ['builtin', 'llm'];

export const BUILD_DEFAULTS = {
  ...SPLIT_DEFAULTS,
  valRatio: 0.29,
  seed: 0,
  describe: 'builtin' as DescribeMode,
} as const;
