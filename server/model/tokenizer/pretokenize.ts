// CLIP's pre-tokenisation pattern (applied to cleaned, lower-cased text). `\s` is spelled out
// as Unicode White_Space because JavaScript's `\s` also matches U+FEFF, which Python's does not.
const WS = '\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

export const PRETOKEN_PATTERN = new RegExp(
  `<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}|[^${WS}\\p{L}\\p{N}]+`,
  'giu',
);

/** The words BPE runs on, in order. */
export function pretokenize(cleaned: string): string[] {
  return cleaned.match(PRETOKEN_PATTERN) ?? [];
}
