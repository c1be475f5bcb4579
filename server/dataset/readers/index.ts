import type { SourceDataset, SourceKind } from '../types';

export interface ReadSourceOptions {
  /** Force a layout instead of detecting it. */
  kind?: SourceKind;
}

/** Detects the layout of a source dataset and lists its samples; problems are collected, not thrown. */
export async function readSource(root: string, options: ReadSourceOptions = {}): Promise<SourceDataset> {
  void root;
  void options;
  throw new Error('readSource: not implemented');
}
