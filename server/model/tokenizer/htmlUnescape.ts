// HTML character references resolved the way Python's html.unescape does (which CLIP's
// tokenizer calls): one left-to-right pass, named references from the HTML5 table (with the
// legacy semicolon-less prefixes), numeric references with the HTML5 replacements, and the
// code points Python drops.
import { decodeHTML } from 'entities';

const REFERENCE = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/g;

/**
 * Code points that Python's html.unescape turns into nothing when written numerically (the C1
 * range is not among them: it has Windows-1252 replacements, which `entities` applies too).
 */
function dropped(cp: number): boolean {
  return (
    (cp >= 0x1 && cp <= 0x8) ||
    cp === 0xb ||
    (cp >= 0xe && cp <= 0x1f) ||
    cp === 0x7f ||
    (cp >= 0xfdd0 && cp <= 0xfdef) ||
    (cp <= 0x10ffff && (cp & 0xfffe) === 0xfffe) // U+xFFFE and U+xFFFF of every plane
  );
}

function numeric(match: string, ref: string): string {
  const hex = ref[1] === 'x' || ref[1] === 'X';
  const cp = parseInt(ref.slice(hex ? 2 : 1).replace(/;$/, ''), hex ? 16 : 10);
  return dropped(cp) ? '' : decodeHTML(match);
}

/** Python's html.unescape. */
export function htmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (match: string, ref: string) => (ref[0] === '#' ? numeric(match, ref) : decodeHTML(match)));
}
