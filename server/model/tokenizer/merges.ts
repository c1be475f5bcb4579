// CLIP merges files: a header line, then one merge per line, "left right" (the two symbols
// in byte-table characters, `</w>` marking a word end). Stored gzip-compressed (.gz) or plain.
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { writeFileAtomic } from '../../util/atomicWrite';
import { UserError, errorMessage } from '../../util/errors';

export type Merge = readonly [left: string, right: string];

/** How many merges CLIP takes from its file: 49152 - 256 - 2. */
export const CLIP_MERGE_COUNT = 49152 - 256 - 2;

export const MERGES_HEADER = '#version: 0.2';

function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

/** Parses merges text: skips the header line, takes up to maxMerges non-blank lines. */
export function parseMerges(text: string, maxMerges = CLIP_MERGE_COUNT, file?: string): Merge[] {
  const merges: Merge[] = [];
  let start = text.indexOf('\n') + 1;
  if (start === 0) return merges;
  let line = 2;
  while (start < text.length && merges.length < maxMerges) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const entry = text.slice(start, end).replace(/\r$/, '');
    if (entry.trim() !== '') {
      const parts = entry.split(' ');
      if (parts.length !== 2 || !parts[0] || !parts[1]) {
        throw new UserError(`line ${line} is not a merge ("left right"): ${JSON.stringify(entry.slice(0, 60))}`, file);
      }
      merges.push([parts[0], parts[1]]);
    }
    start = end + 1;
    line++;
  }
  return merges;
}

/** Reads a merges file, .gz or plain text (told apart by content, not by name). */
export function readMergesFile(file: string, maxMerges = CLIP_MERGE_COUNT): Merge[] {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (err) {
    throw new UserError(`cannot read the tokenizer merges: ${errorMessage(err)}`, file);
  }
  let text: string;
  try {
    text = (isGzip(data) ? gunzipSync(data) : data).toString('utf8');
  } catch (err) {
    throw new UserError(`not a valid gzip file: ${errorMessage(err)}`, file);
  }
  if (text.trim() === '') throw new UserError('the tokenizer merges file is empty', file);
  return parseMerges(text, maxMerges, file);
}

/** Writes merges in the CLIP format: header line, then "left right" lines. */
export function formatMerges(merges: readonly Merge[]): string {
  return `${MERGES_HEADER}\n${merges.map(([a, b]) => `${a} ${b}`).join('\n')}\n`;
}

/** Writes a merges file atomically, gzip-compressed when its name ends in .gz (as bundles carry it). */
export async function writeMergesFile(file: string, merges: readonly Merge[]): Promise<void> {
  const text = formatMerges(merges);
  await writeFileAtomic(file, file.endsWith('.gz') ? gzipSync(text) : text);
}
