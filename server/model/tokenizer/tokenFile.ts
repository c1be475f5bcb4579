import { writeFileAtomic } from '../../util/atomicWrite';
import { CONTEXT_LENGTH, type ClipTokenizer } from './tokenizer';

/** The tokenizer a token file was made with (the same keys as bundle.json's `tokenizer`, less the file). */
export interface TokenFileTokenizer {
  kind: 'clip-bpe';
  vocabSize: number;
  startId: number;
  endId: number;
  contextLength: number;
}

export interface TokenFile {
  tokenizer: TokenFileTokenizer;
  texts: Array<{ text: string; input_ids: number[] }>;
}

export interface TokenFileResult {
  /** Number of distinct texts written. */
  count: number;
  /** Texts cut to the context length (their end token kept last). */
  truncated: string[];
}

/** The token file content for texts (duplicates written once, first occurrence order). */
export function tokenFileContent(texts: Iterable<string>, tokenizer: ClipTokenizer, contextLength = CONTEXT_LENGTH): { file: TokenFile; truncated: string[] } {
  const seen = new Set<string>();
  const rows: TokenFile['texts'] = [];
  const truncated: string[] = [];
  for (const text of texts) {
    if (seen.has(text)) continue;
    seen.add(text);
    const input = tokenizer.encodeForModel(text, contextLength);
    if (input.truncated) truncated.push(text);
    rows.push({ text, input_ids: input.inputIds });
  }
  const header: TokenFileTokenizer = {
    kind: 'clip-bpe',
    vocabSize: tokenizer.vocabSize,
    startId: tokenizer.startId,
    endId: tokenizer.endId,
    contextLength,
  };
  return { file: { tokenizer: header, texts: rows }, truncated };
}

/** JSON with one line per text (compact rows, still readable with `head`). */
export function formatTokenFile(content: TokenFile): string {
  const rows = content.texts.map((row) => `    ${JSON.stringify(row)}`);
  return `{\n  "tokenizer": ${JSON.stringify(content.tokenizer)},\n  "texts": [\n${rows.join(',\n')}\n  ]\n}\n`;
}

/**
 * Writes the token ids of texts for the Python trainer, which does not tokenise itself:
 *
 * ```json
 * { "tokenizer": { "kind": "clip-bpe", "vocabSize": 49408, "startId": 49406, "endId": 49407, "contextLength": 77 },
 *   "texts": [ { "text": "crack in hazelnut", "input_ids": [49406, 10334, 530, 35816, 49407, 0, …] } ] }
 * ```
 *
 * `input_ids` has exactly `contextLength` entries: start, ids, end, zero padding; a text too
 * long is cut with the end token kept in the last position (listed in `truncated` so the
 * caller can warn). Each distinct text appears once, in first-seen order. The file is written
 * atomically (temp file + rename).
 */
export async function writeTokenFile(
  texts: Iterable<string>,
  tokenizer: ClipTokenizer,
  file: string,
  contextLength = CONTEXT_LENGTH,
): Promise<TokenFileResult> {
  const { file: content, truncated } = tokenFileContent(texts, tokenizer, contextLength);
  await writeFileAtomic(file, formatTokenFile(content));
  return { count: content.texts.length, truncated };
}
