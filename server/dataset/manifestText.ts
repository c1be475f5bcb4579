// @pure: a dataset's manifest files by name (dataset.json, {train,val,test}.jsonl) and the split
// files as text, line by line: what the engine and the extension both read.
import { errorMessage } from '../util/errors';
import type { ImageRecord } from './format';
import { checkImageRecord } from './schema';
import type { Split } from './types';

export const SPLITS: readonly Split[] = ['train', 'val', 'test'];
export const MANIFEST_FILE = 'dataset.json';

export function splitFile(split: Split): string {
  return `${split}.jsonl`;
}

export type SplitRecords = Record<Split, ImageRecord[]>;

export function emptySplits<T>(make: () => T): Record<Split, T> {
  return { train: make(), val: make(), test: make() };
}

export function toJsonl(records: readonly ImageRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

export interface JsonlLine {
  /** 1-based line number. */
  line: number;
  value?: unknown;
  error?: string;
}

/** Parses a jsonl text line by line (blank lines are skipped); a bad line yields an error, not an exception. */
export function parseJsonl(text: string): JsonlLine[] {
  const out: JsonlLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      out.push({ line: i + 1, value: JSON.parse(line) });
    } catch (err) {
      out.push({ line: i + 1, error: `not valid JSON: ${errorMessage(err)}` });
    }
  });
  return out;
}

/** The readable records of one split file, and a message for each line that is not. */
export interface SplitContents {
  records: ImageRecord[];
  problems: string[];
}

export function parseSplit(jsonl: string): SplitContents {
  const records: ImageRecord[] = [];
  const problems: string[] = [];
  for (const { line, value, error } of parseJsonl(jsonl)) {
    const errors = error ? [error] : checkImageRecord(value);
    if (errors.length) problems.push(`line ${line}: ${errors.join('; ')}`);
    else records.push(value as ImageRecord);
  }
  return { records, problems };
}
