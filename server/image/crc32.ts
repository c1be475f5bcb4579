// CRC-32 (ISO-HDLC, as PNG chunks and zlib use): Node's own (zlib.crc32, from Node 20.15 and
// 22.2) when it has one, else a table-driven version.
import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, start?: number) => number;

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** The table-driven CRC-32, continuing from `start` (the CRC of the bytes before). */
export function crc32Portable(data: Uint8Array, start = 0): number {
  const t = crcTable();
  let c = ~start >>> 0;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const native = (zlib as { crc32?: Crc32 }).crc32;

/** CRC-32 of `data`, continuing from `start`. */
export const crc32: Crc32 = native ? (data, start = 0) => native(data, start) >>> 0 : crc32Portable;
