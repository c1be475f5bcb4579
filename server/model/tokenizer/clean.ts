// The text cleaning of CLIP's tokenizer, before pre-tokenisation:
//   ftfy.fix_text -> html.unescape twice -> strip -> collapse whitespace -> strip -> lower case.
//
// ftfy is replaced by the repairs it makes to well-formed text: NFC normalisation, curly
// quotes made straight, Latin ligatures and digraphs split and full-width forms made
// half-width. ftfy's mojibake (wrong-encoding) repair and its own extra HTML pass are not
// reproduced; descriptions are written as Unicode, where they do nothing.
import { htmlUnescape } from './htmlUnescape';

// Python's str.isspace() set (what `\s` matches in Python's `re` on str).
export const PY_WHITESPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE}]+`, 'g');
const EDGE_WHITESPACE = new RegExp(`^[${PY_WHITESPACE}]+|[${PY_WHITESPACE}]+$`, 'g');
const SINGLE_QUOTES = /[\u02bc\u2018-\u201b]/g;
const DOUBLE_QUOTES = /[\u201c-\u201f]/g;
// ftfy's Latin ligatures and digraphs; each is its NFKC form except U+FB05 (ftfy keeps the long s).
const LIGATURES = /[\u0132\u0133\u0149\u01c4-\u01cc\u01f1-\u01f3\ufb00-\ufb06]/g;
const WIDE = /[\u3000\uff01-\uffef]/g;

function toNfkc(ch: string): string {
  return ch === '\ufb05' ? '\u017ft' : ch.normalize('NFKC');
}

/** The subset of ftfy.fix_text that applies to text already in Unicode. */
export function fixText(text: string): string {
  return text
    .replace(LIGATURES, toNfkc)
    .replace(WIDE, toNfkc)
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .normalize('NFC');
}

function strip(text: string): string {
  return text.replace(EDGE_WHITESPACE, '');
}

/** CLIP's basic_clean + whitespace_clean + lower(). */
export function cleanText(text: string): string {
  const unescaped = strip(htmlUnescape(htmlUnescape(fixText(text))));
  return strip(unescaped.replace(WHITESPACE_RUN, ' ')).toLowerCase();
}
