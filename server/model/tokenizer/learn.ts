// BPE training over CLIP's cleaning, pre-tokenisation and byte table: produces merges that
// ClipTokenizer reads like CLIP's own (for the small vocabularies of tiny models).
import { bytesToSymbols } from './byteUnicode';
import { initialSymbols, mergePair, pairKey } from './bpe';
import { cleanText } from './clean';
import type { Merge } from './merges';
import { pretokenize } from './pretokenize';

interface Word {
  symbols: string[];
  count: number;
}

function pairsOf(symbols: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < symbols.length - 1; i++) out.push(pairKey(symbols[i], symbols[i + 1]));
  return out;
}

/**
 * Learns up to numMerges merges from texts: each step merges the most frequent adjacent pair
 * (counted over all word occurrences); ties go to the pair whose "left right" string sorts
 * first (code unit order), so the result depends only on the multiset of words. Stops early
 * when no adjacent pair is left (every word is a single symbol).
 */
export function learnMerges(texts: Iterable<string>, numMerges: number): Merge[] {
  if (!Number.isInteger(numMerges) || numMerges < 0) throw new RangeError(`numMerges must be a non-negative integer, got ${numMerges}`);
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const word of pretokenize(cleanText(text))) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const words: Word[] = [];
  for (const [word, count] of counts) words.push({ symbols: initialSymbols(bytesToSymbols(word)), count });

  const pairCount = new Map<string, number>();
  const pairWords = new Map<string, Set<number>>();
  const add = (index: number, sign: 1 | -1): void => {
    const word = words[index];
    for (const key of pairsOf(word.symbols)) {
      pairCount.set(key, (pairCount.get(key) ?? 0) + sign * word.count);
      if (sign > 0) {
        let set = pairWords.get(key);
        if (!set) pairWords.set(key, (set = new Set()));
        set.add(index);
      }
    }
  };
  words.forEach((_, i) => add(i, 1));

  const merges: Merge[] = [];
  while (merges.length < numMerges) {
    let best: string | undefined;
    let bestCount = 0;
    for (const [key, count] of pairCount) {
      if (count > bestCount || (count === bestCount && best !== undefined && key < best)) {
        best = key;
        bestCount = count;
      }
    }
    if (best === undefined || bestCount <= 0) break;
    const space = best.indexOf(' ');
    const left = best.slice(0, space);
    const right = best.slice(space + 1);
    merges.push([left, right]);
    for (const index of pairWords.get(best) ?? []) {
      add(index, -1);
      words[index].symbols = mergePair(words[index].symbols, left, right);
      add(index, 1);
    }
    pairCount.delete(best);
    pairWords.delete(best);
  }
  return merges;
}
