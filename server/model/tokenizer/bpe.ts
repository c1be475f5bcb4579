// Byte-pair merging of one word, as CLIP does it: the word's symbols (the last one carrying
// `</w>`) are merged pair by pair, always the lowest-ranked pair present, all its
// non-overlapping occurrences left to right, until no ranked pair is left.

export const END_OF_WORD = '</w>';

/** Rank lookup key of a pair; symbols never contain a space (the space byte maps to 'Ġ'). */
export function pairKey(left: string, right: string): string {
  return `${left} ${right}`;
}

/** Splits a word of byte symbols into single symbols, the last marked as word end. */
export function initialSymbols(word: string): string[] {
  const symbols = Array.from(word);
  symbols[symbols.length - 1] += END_OF_WORD;
  return symbols;
}

/** Replaces every non-overlapping occurrence of (left, right), left to right. */
export function mergePair(symbols: readonly string[], left: string, right: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < symbols.length) {
    if (i < symbols.length - 1 && symbols[i] === left && symbols[i + 1] === right) {
      out.push(left + right);
      i += 2;
    } else {
      out.push(symbols[i]);
      i += 1;
    }
  }
  return out;
}

/** The BPE symbols of one non-empty word of byte symbols. */
export function bpeWord(word: string, ranks: ReadonlyMap<string, number>): string[] {
  let symbols = initialSymbols(word);
  while (symbols.length > 1) {
    let best = Infinity;
    let bestAt = -1;
    for (let i = 0; i < symbols.length - 1; i++) {
      const rank = ranks.get(pairKey(symbols[i], symbols[i + 1]));
      if (rank !== undefined && rank < best) {
        best = rank;
        bestAt = i;
      }
    }
    if (bestAt < 0) break;
    symbols = mergePair(symbols, symbols[bestAt], symbols[bestAt + 1]);
  }
  return symbols;
}
