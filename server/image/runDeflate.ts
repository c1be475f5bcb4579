// A zlib stream (RFC 1950/1951) of bytes given as runs of one value, encoded straight from the
// runs: each run is its first byte as a literal and then copies of distance 1 (what zlib's
// run-length strategy finds by scanning the bytes), in one block with Huffman codes made for
// it.  The work follows the number of runs, not the bytes they stand for, and the Adler-32
// checksum is summed run by run.
const ADLER_MOD = 65521;
const MAX_BITS = 15;
const MAX_CODE_LENGTH_BITS = 7;
const MAX_MATCH = 258;
const END_OF_BLOCK = 256;
/** Order in which the code-length code's lengths are sent (RFC 1951, 3.2.7). */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Length symbol (257..285), extra bits and their value for a copy of `length` bytes (3..258). */
const lengthSymbol = new Uint16Array(MAX_MATCH + 1);
const lengthExtraBits = new Uint8Array(MAX_MATCH + 1);
const lengthExtraValue = new Uint8Array(MAX_MATCH + 1);
{
  const base = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
  const extra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
  for (let code = 0; code < base.length; code++) {
    const last = code === base.length - 1 ? MAX_MATCH : Math.min(MAX_MATCH - 1, base[code] + (1 << extra[code]) - 1);
    for (let length = base[code]; length <= last; length++) {
      lengthSymbol[length] = 257 + code;
      lengthExtraBits[length] = extra[code];
      lengthExtraValue[length] = length - base[code];
    }
  }
}

/**
 * Code lengths of a Huffman code for `freq` (no length over `limit`).  Fewer than two used
 * symbols get a second one, so that the code is complete, as inflaters require.  Lengths over
 * the limit are avoided by flattening the frequencies and building again.
 */
export function huffmanLengths(freq: ArrayLike<number>, limit: number): Uint8Array {
  const used: number[] = [];
  for (let s = 0; s < freq.length; s++) if (freq[s] > 0) used.push(s);
  for (let s = 0; used.length < 2; s++) if (freq[s] === 0) used.push(s);
  const counts = used.map((s) => Math.max(1, freq[s]));
  const n = used.length;
  for (;;) {
    // Two queues: the leaves by weight, and the merged nodes, made in order of weight.
    const leaves = counts.map((_, k) => k).sort((a, b) => counts[a] - counts[b] || a - b);
    const weight = new Float64Array(2 * n);
    const parent = new Int32Array(2 * n).fill(-1);
    for (let k = 0; k < n; k++) weight[k] = counts[k];
    let leaf = 0;
    let merged = n;
    const lightest = (made: number) => (leaf < n && (merged >= made || weight[leaves[leaf]] <= weight[merged]) ? leaves[leaf++] : merged++);
    for (let made = n; made < 2 * n - 1; made++) {
      const a = lightest(made);
      const b = lightest(made);
      weight[made] = weight[a] + weight[b];
      parent[a] = made;
      parent[b] = made;
    }
    const depth = new Uint8Array(2 * n);
    for (let node = 2 * n - 3; node >= 0; node--) depth[node] = depth[parent[node]] + 1;
    const lengths = new Uint8Array(freq.length);
    let longest = 0;
    for (let k = 0; k < n; k++) {
      lengths[used[k]] = depth[k];
      longest = Math.max(longest, depth[k]);
    }
    if (longest <= limit) return lengths;
    for (let k = 0; k < n; k++) counts[k] = (counts[k] >> 1) | 1;
  }
}

/** Canonical codes for `lengths` (RFC 1951, 3.2.2), bit-reversed: deflate sends a code's first bit first. */
function canonicalCodes(lengths: Uint8Array): Uint16Array {
  const perLength = new Uint16Array(MAX_BITS + 1);
  for (const l of lengths) if (l > 0) perLength[l]++;
  const next = new Uint16Array(MAX_BITS + 2);
  for (let bits = 1, code = 0; bits <= MAX_BITS; bits++) {
    code = (code + perLength[bits - 1]) << 1;
    next[bits] = code;
  }
  const codes = new Uint16Array(lengths.length);
  for (let s = 0; s < lengths.length; s++) {
    const l = lengths[s];
    if (l === 0) continue;
    let code = next[l]++;
    let reversed = 0;
    for (let k = 0; k < l; k++, code >>= 1) reversed = (reversed << 1) | (code & 1);
    codes[s] = reversed;
  }
  return codes;
}

class BitWriter {
  private bits = 0;
  private count = 0;
  private at = 0;
  constructor(readonly out: Uint8Array) {}

  /** Sends the low `n` bits of `value` (n <= 24), least significant first. */
  put(value: number, n: number): void {
    this.bits |= value << this.count;
    this.count += n;
    while (this.count >= 8) {
      this.out[this.at++] = this.bits & 0xff;
      this.bits >>>= 8;
      this.count -= 8;
    }
  }

  /** Pads to a byte boundary; the number of bytes written. */
  finish(): number {
    if (this.count > 0) this.out[this.at++] = this.bits & 0xff;
    this.bits = 0;
    this.count = 0;
    return this.at;
  }
}

/**
 * How the `rest` bytes of a run after its first are sent: `full` copies of 258, then `tail`
 * (a copy of 3..258, or 0, 1 or 2 more literals); a rest under 3 past full copies is sent as
 * one full copy less, a copy of 3 and a tail of 256 or 257.
 */
function copiesOf(rest: number): { full: number; three: boolean; tail: number } {
  let full = Math.floor(rest / MAX_MATCH);
  let tail = rest - full * MAX_MATCH;
  const three = tail > 0 && tail < 3 && full > 0;
  if (three) {
    full--;
    tail += MAX_MATCH - 3;
  }
  return { full, three, tail };
}

/** (a * b) mod ADLER_MOD for non-negative integers below 2^53 (the factors are reduced first). */
function mulMod(a: number, b: number): number {
  return ((a % ADLER_MOD) * (b % ADLER_MOD)) % ADLER_MOD;
}

/** Adler-32 of the runs. */
function adler32(values: ArrayLike<number>, lengths: ArrayLike<number>, count: number): number {
  let a = 1;
  let b = 0;
  for (let r = 0; r < count; r++) {
    const v = values[r];
    const l = lengths[r];
    // Over l bytes of v: b gains l*a + v*(1 + 2 + ... + l), a gains l*v.
    const triangle = l % 2 === 0 ? mulMod(l / 2, l + 1) : mulMod(l, (l + 1) / 2);
    b = (b + mulMod(l, a) + mulMod(v, triangle)) % ADLER_MOD;
    a = (a + mulMod(l, v)) % ADLER_MOD;
  }
  return ((b << 16) | a) >>> 0;
}

/** The code lengths of both alphabets as code-length symbols: zeros by runs (17, 18), other lengths as they are. */
function codeLengthSymbols(lengths: Uint8Array): { symbol: number; extra: number; extraBits: number }[] {
  const out: { symbol: number; extra: number; extraBits: number }[] = [];
  for (let k = 0; k < lengths.length; ) {
    if (lengths[k] !== 0) {
      out.push({ symbol: lengths[k++], extra: 0, extraBits: 0 });
      continue;
    }
    let zeros = 0;
    while (k + zeros < lengths.length && lengths[k + zeros] === 0 && zeros < 138) zeros++;
    if (zeros >= 11) out.push({ symbol: 18, extra: zeros - 11, extraBits: 7 });
    else if (zeros >= 3) out.push({ symbol: 17, extra: zeros - 3, extraBits: 3 });
    else for (let z = 0; z < zeros; z++) out.push({ symbol: 0, extra: 0, extraBits: 0 });
    k += zeros;
  }
  return out;
}

/**
 * The zlib stream of `count` runs: run r is `lengths[r]` (>= 1) bytes of `values[r]` (0..255).
 * Inflating it gives the bytes back; any zlib inflater reads it.
 */
export function deflateRuns(values: ArrayLike<number>, lengths: ArrayLike<number>, count: number): Buffer {
  const litFreq = new Uint32Array(286);
  let copies = 0;
  for (let r = 0; r < count; r++) {
    const { full, three, tail } = copiesOf(lengths[r] - 1);
    litFreq[values[r]] += tail < 3 ? 1 + tail : 1;
    litFreq[lengthSymbol[MAX_MATCH]] += full;
    if (three) litFreq[lengthSymbol[3]]++;
    if (tail >= 3) litFreq[lengthSymbol[tail]]++;
    copies += full + (three ? 1 : 0) + (tail >= 3 ? 1 : 0);
  }
  litFreq[END_OF_BLOCK] = 1;
  const litLengths = huffmanLengths(litFreq, MAX_BITS);
  let hlit = 286;
  while (litLengths[hlit - 1] === 0) hlit--;
  // One distance code (distance 1), sent with one bit; none used when there are no copies.
  const distLengths = Uint8Array.of(copies > 0 ? 1 : 0);
  const litCodes = canonicalCodes(litLengths);

  const allLengths = new Uint8Array(hlit + distLengths.length);
  allLengths.set(litLengths.subarray(0, hlit));
  allLengths.set(distLengths, hlit);
  const header = codeLengthSymbols(allLengths);
  const clFreq = new Uint32Array(19);
  for (const { symbol } of header) clFreq[symbol]++;
  const clLengths = huffmanLengths(clFreq, MAX_CODE_LENGTH_BITS);
  const clCodes = canonicalCodes(clLengths);
  let hclen = 19;
  while (hclen > 4 && clLengths[CODE_LENGTH_ORDER[hclen - 1]] === 0) hclen--;

  let symbols = 0;
  for (let s = 0; s < 286; s++) symbols += litFreq[s];
  const out = Buffer.alloc(2 + 64 + header.length * 2 + Math.ceil((symbols * (MAX_BITS + 5) + copies) / 8) + 4);
  out[0] = 0x78; // deflate, 32 KB window
  out[1] = 0x01; // no dictionary, fastest level; (0x78 << 8 | 0x01) % 31 === 0
  const w = new BitWriter(out.subarray(2));
  w.put(1, 1); // the last block
  w.put(2, 2); // dynamic Huffman codes
  w.put(hlit - 257, 5);
  w.put(distLengths.length - 1, 5);
  w.put(hclen - 4, 4);
  for (let k = 0; k < hclen; k++) w.put(clLengths[CODE_LENGTH_ORDER[k]], 3);
  for (const { symbol, extra, extraBits } of header) {
    w.put(clCodes[symbol], clLengths[symbol]);
    if (extraBits > 0) w.put(extra, extraBits);
  }
  // A copy: its length's code and extra bits, then distance code 0 (distance 1, one bit 0).
  const copyCode = (length: number) => litCodes[lengthSymbol[length]] | (lengthExtraValue[length] << litLengths[lengthSymbol[length]]);
  const copyBits = (length: number) => litLengths[lengthSymbol[length]] + lengthExtraBits[length] + 1;
  const fullCode = copyCode(MAX_MATCH);
  const fullBits = copyBits(MAX_MATCH);
  // Full copies, most of a long run, go several to a write.
  const perPut = Math.max(1, Math.floor(24 / fullBits));
  let fullCodes = 0;
  for (let k = 0; k < perPut; k++) fullCodes |= fullCode << (k * fullBits);
  for (let r = 0; r < count; r++) {
    const v = values[r];
    const { full, three, tail } = copiesOf(lengths[r] - 1);
    w.put(litCodes[v], litLengths[v]);
    if (three) w.put(copyCode(3), copyBits(3));
    let left = full;
    for (; left >= perPut; left -= perPut) w.put(fullCodes, perPut * fullBits);
    for (; left > 0; left--) w.put(fullCode, fullBits);
    if (tail >= 3) w.put(copyCode(tail), copyBits(tail));
    else for (let k = 0; k < tail; k++) w.put(litCodes[v], litLengths[v]);
  }
  w.put(litCodes[END_OF_BLOCK], litLengths[END_OF_BLOCK]);
  const end = 2 + w.finish();
  out.writeUInt32BE(adler32(values, lengths, count), end);
  return out.subarray(0, end + 4);
}
