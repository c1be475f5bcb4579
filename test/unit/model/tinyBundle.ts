// Builds small model bundles of real ONNX graphs for the predictor tests: the vocabulary is
// learnt and the descriptions tokenised here (TypeScript), the graphs and the numbers numpy
// expects of them come from test/fixtures/make_tiny_onnx.py.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClipTokenizer, learnMerges, writeMergesFile, writeTokenFile } from '../../../server/model/tokenizer';
import { REPO_ROOT } from './fixtures';

export type Variant = 'ok' | 'wrong-image-size' | 'wrong-embed-dim' | 'symbolic' | 'wrong-input-name';

export const DESCRIPTIONS = [
  'crack in hazelnut',
  'cut in hazelnut',
  'hole in hazelnut',
  'print in hazelnut',
  'scratch in wood',
  'hole in wood',
  'cut inner insulation in cable',
  'bent wire in cable',
  'broken teeth in zipper',
  'glue strip in tile',
];

export interface Expected {
  image: { batch: number; image: number[]; alpha: number[]; raw: number[]; normalised: number[] };
  text: { input_ids: number[][]; raw: number[]; normalised: number[] };
}

export async function makeTinyBundle(dir: string, variant: Variant = 'ok'): Promise<{ dir: string; tokenizer: ClipTokenizer }> {
  const merges = learnMerges(DESCRIPTIONS, 60);
  await writeMergesFile(join(dir, 'tokenizer', 'merges.txt.gz'), merges);
  const tokenizer = new ClipTokenizer(merges);
  const tokens = join(dir, 'tokens.json');
  await writeTokenFile(DESCRIPTIONS, tokenizer, tokens);
  const script = join(REPO_ROOT, 'test', 'fixtures', 'make_tiny_onnx.py');
  const run = spawnSync('/usr/bin/python3', [script, dir, '--tokens', tokens, '--variant', variant], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`make_tiny_onnx.py failed (${run.status}): ${run.stderr}`);
  return { dir, tokenizer };
}

export function readExpected(dir: string): Expected {
  return JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
}
