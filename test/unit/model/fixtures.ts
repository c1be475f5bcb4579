// Paths shared by the model tests: reference data lives beside the repository in ../shared.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const SHARED = join(REPO_ROOT, '..', 'shared');
export const CLIP_BPE_DIR = join(SHARED, 'data', 'clip-bpe');
export const CLIP_MERGES = join(CLIP_BPE_DIR, 'bpe_simple_vocab_16e6.txt.gz');

export interface GoldenLine {
  text: string;
  ids: number[];
  input_ids: number[];
}

export function readGolden(): GoldenLine[] {
  return readFileSync(join(CLIP_BPE_DIR, 'golden.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as GoldenLine);
}
