import type { LabelMask } from '../masks/types';

export interface ReadMaskOptions {
  /** Values strictly above the threshold are anomaly (default 0). */
  threshold?: number;
  /** Keep the raw values as class ids instead of binarising to 0/1. */
  classIds?: boolean;
}

export interface MaskReadResult {
  mask: LabelMask;
  /** Distinct raw values found (sorted), for validation and class-id masks. */
  distinctValues: number[];
  /** Non-fatal findings, e.g. values that are neither background nor foreground. */
  warnings: string[];
}

/** Reads a mask in any format (1/8/16-bit, palette, RGB(A), JPEG); errors name the file. */
export async function readMask(file: string, options: ReadMaskOptions = {}): Promise<MaskReadResult> {
  void file;
  void options;
  throw new Error('readMask: not implemented');
}
