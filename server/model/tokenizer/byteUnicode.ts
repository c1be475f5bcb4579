// CLIP's reversible byte <-> character table: printable Latin-1 bytes stand for themselves,
// every other byte b gets the character 256 + n (n counting those bytes in order), so that
// BPE works on visible, whitespace-free characters.

function printableBytes(): number[] {
  const out: number[] = [];
  const ranges: Array<[number, number]> = [
    [0x21, 0x7e], // '!'..'~'
    [0xa1, 0xac], // '¡'..'¬'
    [0xae, 0xff], // '®'..'ÿ'
  ];
  for (const [from, to] of ranges) for (let b = from; b <= to; b++) out.push(b);
  return out;
}

/**
 * The 256 bytes in CLIP's table order (printable ones first, then the rest ascending),
 * paired with their characters. The order matters: it is the order of the first 256
 * vocabulary entries.
 */
export const BYTE_TABLE: ReadonlyArray<{ byte: number; char: string }> = (() => {
  const bytes = printableBytes();
  const printable = new Set(bytes);
  const chars = bytes.map((b) => String.fromCharCode(b));
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (printable.has(b)) continue;
    bytes.push(b);
    chars.push(String.fromCharCode(256 + n));
    n++;
  }
  return bytes.map((byte, i) => ({ byte, char: chars[i] }));
})();

/** byte -> character. */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const out = new Array<string>(256);
  for (const { byte, char } of BYTE_TABLE) out[byte] = char;
  return out;
})();

/** character -> byte. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TABLE.map(({ byte, char }) => [char, byte]));

const utf8 = new TextEncoder();

/** The UTF-8 bytes of a string, each written as its table character. */
export function bytesToSymbols(text: string): string {
  let out = '';
  for (const b of utf8.encode(text)) out += BYTE_TO_CHAR[b];
  return out;
}

const utf8Lenient = new TextDecoder('utf-8', { fatal: false });

/** Inverse of bytesToSymbols; invalid UTF-8 becomes U+FFFD (as CLIP's decode does). */
export function symbolsToText(symbols: string): string {
  const bytes = new Uint8Array(symbols.length);
  let n = 0;
  for (const ch of symbols) {
    const b = CHAR_TO_BYTE.get(ch);
    if (b === undefined) throw new Error(`not a byte symbol: ${JSON.stringify(ch)}`);
    bytes[n++] = b;
  }
  return utf8Lenient.decode(bytes.subarray(0, n));
}
