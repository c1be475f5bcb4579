// Paths and helpers shared by the describe tests; reference data lives beside the repository.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const SHARED = join(REPO_ROOT, '..', 'shared');
export const SAMPLE = join(SHARED, 'data', 'mvtec-sample');
export const CLIP_MERGES = join(SHARED, 'data', 'clip-bpe', 'bpe_simple_vocab_16e6.txt.gz');

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `anomaly-lens-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
