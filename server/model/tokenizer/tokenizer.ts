// OpenAI CLIP's byte-level BPE tokenizer (the vocabulary is built from a merges list exactly
// as CLIP's SimpleTokenizer builds it).
import { BYTE_TABLE, bytesToSymbols, symbolsToText } from './byteUnicode';
import { END_OF_WORD, bpeWord, pairKey } from './bpe';
import { cleanText } from './clean';
import { type Merge, CLIP_MERGE_COUNT, readMergesFile } from './merges';
import { pretokenize } from './pretokenize';

export const START_OF_TEXT = '<|startoftext|>';
export const END_OF_TEXT = '<|endoftext|>';
export const CONTEXT_LENGTH = 77;

export interface TokenizerOptions {
  /** At most this many merges are read from the file (CLIP: 48894, its default). */
  maxMerges?: number;
  /** Remember the BPE result of each word (default true; false only to measure the cache). */
  cache?: boolean;
}

export interface ModelInput {
  /** The plain encoding, without start and end tokens and not truncated. */
  ids: number[];
  /** start, ids, end, padded with 0 to the context length; cut with the end token kept last. */
  inputIds: number[];
  /** Whether ids did not fit and were cut. */
  truncated: boolean;
}

export class ClipTokenizer {
  readonly vocabSize: number;
  readonly startId: number;
  readonly endId: number;
  readonly mergeCount: number;
  private readonly encoder = new Map<string, number>();
  private readonly decoder: string[] = [];
  private readonly ranks = new Map<string, number>();
  /** word (byte symbols) -> token ids; the special tokens are seeded as CLIP does. */
  private readonly cache = new Map<string, readonly number[]>();
  private readonly caching: boolean;

  constructor(merges: readonly Merge[], options: Pick<TokenizerOptions, 'cache'> = {}) {
    this.caching = options.cache ?? true;
    const vocab: string[] = BYTE_TABLE.map(({ char }) => char);
    for (const { char } of BYTE_TABLE) vocab.push(char + END_OF_WORD);
    for (const [left, right] of merges) vocab.push(left + right);
    vocab.push(START_OF_TEXT, END_OF_TEXT);
    // A later duplicate wins, in the vocabulary and in the ranks, as with Python's
    // dict(zip(keys, range(...))) in the original.
    vocab.forEach((token, id) => this.encoder.set(token, id));
    this.decoder = vocab;
    merges.forEach(([left, right], rank) => this.ranks.set(pairKey(left, right), rank));
    this.vocabSize = vocab.length;
    this.startId = vocab.length - 2;
    this.endId = vocab.length - 1;
    this.mergeCount = merges.length;
    this.cache.set(START_OF_TEXT, [this.startId]);
    this.cache.set(END_OF_TEXT, [this.endId]);
  }

  /** Reads a merges file (.gz or plain text). */
  static fromFile(file: string, options: TokenizerOptions = {}): ClipTokenizer {
    return new ClipTokenizer(readMergesFile(file, options.maxMerges ?? CLIP_MERGE_COUNT), options);
  }

  /** Token ids of a text, without start/end tokens (CLIP's SimpleTokenizer.encode). */
  encode(text: string): number[] {
    const ids: number[] = [];
    for (const word of pretokenize(cleanText(text))) {
      for (const id of this.encodeWord(word)) ids.push(id);
    }
    return ids;
  }

  /** The model input of a text: `contextLength` ids (CLIP's tokenize with truncate=True). */
  encodeForModel(text: string, contextLength = CONTEXT_LENGTH): ModelInput {
    if (!Number.isInteger(contextLength) || contextLength < 2) {
      throw new RangeError(`context length must be an integer of at least 2, got ${contextLength}`);
    }
    const ids = this.encode(text);
    const truncated = ids.length + 2 > contextLength;
    const inputIds = new Array<number>(contextLength).fill(0);
    inputIds[0] = this.startId;
    const kept = Math.min(ids.length, contextLength - 2);
    for (let i = 0; i < kept; i++) inputIds[i + 1] = ids[i];
    inputIds[truncated ? contextLength - 1 : kept + 1] = this.endId;
    return { ids, inputIds, truncated };
  }

  /**
   * Text of token ids (CLIP's decode: word ends become spaces). Start tokens are skipped,
   * an end token ends the text (what follows it is padding), the trailing space is dropped.
   */
  decode(ids: ArrayLike<number>): string {
    let symbols = '';
    for (let i = 0; i < ids.length; i++) {
      const id = Number(ids[i]);
      if (id === this.endId) break;
      if (id === this.startId) continue;
      const token = this.decoder[id];
      if (token === undefined) throw new RangeError(`token id ${id} is outside the vocabulary (size ${this.vocabSize})`);
      symbols += token;
    }
    return symbols
      .split(END_OF_WORD)
      .map((part) => symbolsToText(part))
      .join(' ')
      .trimEnd();
  }

  /** The vocabulary entry of an id (byte-table characters, `</w>` at word ends). */
  token(id: number): string | undefined {
    return this.decoder[id];
  }

  /** Number of distinct words whose BPE result is cached. */
  get cachedWords(): number {
    return this.cache.size;
  }

  private encodeWord(word: string): readonly number[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    const symbols = bytesToSymbols(word);
    const ids = bpeWord(symbols, this.ranks).map((symbol) => {
      const id = this.encoder.get(symbol);
      if (id === undefined) throw new Error(`BPE produced a symbol outside the vocabulary: ${symbol}`);
      return id;
    });
    if (this.caching) this.cache.set(word, ids);
    return ids;
  }
}
