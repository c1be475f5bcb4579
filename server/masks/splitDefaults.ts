// @pure: the ways a mask splits into its regions and the split's defaults (the paper's DBSCAN,
// eps 1.5, minPts 1 = 8-connected regions), declared once for the engine, the CLI, the server's
// checks and the extension's settings and pickers.
import type { SplitMode } from './types';

/** Each split mode with what it does, in the order they are offered. */
export const SPLIT_MODE_LABELS: Readonly<Record<SplitMode, string>> = {
  dbscan: 'DBSCAN (the paper’s)',
  cc4: '4-connected components',
  cc8: '8-connected components',
};

export const SPLIT_MODES = Object.keys(SPLIT_MODE_LABELS) as readonly SplitMode[];

export const SPLIT_DEFAULTS = {
  mode: 'dbscan' as SplitMode,
  eps: 1.5,
  minPts: 1,
  minArea: 0,
} as const;
