// A PNG file checked without decoding its pixels: the signature, a valid IHDR first, every
// chunk whole and matching its CRC-32, the image data present, and IEND.  A truncated file
// ends inside a chunk or lacks IEND; a damaged byte breaks its chunk's CRC.  This finds what
// a full decode finds in files written by a working encoder, at a small part of the cost (the
// build copies an image byte for byte, so it only has to know the file is whole).
import { crc32 } from './crc32';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlaced: boolean;
}

/** Bit depths each colour type allows (PNG specification, IHDR). */
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

export function hasPngSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

function chunkType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function readHeader(data: Uint8Array): PngHeader {
  if (data.length !== 13) throw new Error(`IHDR is ${data.length} bytes, not 13`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [bitDepth, colourType, compression, filter, interlace] = data.subarray(8, 13);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw new Error(`invalid size ${width}x${height}`);
  if (!DEPTHS[colourType]?.includes(bitDepth)) throw new Error(`invalid colour type ${colourType} with bit depth ${bitDepth}`);
  if (compression !== 0 || filter !== 0 || interlace > 1) throw new Error('invalid compression, filter or interlace method');
  return { width, height, bitDepth, colourType, interlaced: interlace === 1 };
}

/**
 * The header of a whole, undamaged PNG; throws an Error saying what is wrong otherwise
 * (the caller names the file).
 */
export function checkPngStructure(bytes: Uint8Array): PngHeader {
  if (!hasPngSignature(bytes)) throw new Error('no PNG signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: PngHeader | undefined;
  let palette = false;
  let imageData = 0;
  let afterImageData = false;
  let at = 8;
  for (;;) {
    if (at + 12 > bytes.length) throw new Error(`the file ends ${header ? 'before IEND' : 'inside its first chunk'} (${bytes.length} bytes)`);
    const length = view.getUint32(at);
    const typeAt = at + 4;
    const type = chunkType(bytes, typeAt);
    if (![0, 1, 2, 3].every((k) => isLetter(bytes[typeAt + k]))) throw new Error(`invalid chunk type at byte ${typeAt}`);
    const end = typeAt + 4 + length;
    if (length > 0x7fffffff || end + 4 > bytes.length) throw new Error(`the file ends inside chunk ${type} (${bytes.length} bytes)`);
    if (crc32(bytes.subarray(typeAt, end)) !== view.getUint32(end)) throw new Error(`chunk ${type} at byte ${at} fails its CRC check`);
    const data = bytes.subarray(typeAt + 4, end);
    if (!header) {
      if (type !== 'IHDR') throw new Error(`the first chunk is ${type}, not IHDR`);
      header = readHeader(data);
    } else if (type === 'IHDR') throw new Error('a second IHDR chunk');
    else if (type === 'PLTE') palette = true;
    else if (type === 'IDAT') {
      if (afterImageData) throw new Error('IDAT chunks are not consecutive');
      if (imageData === 0 && (length < 2 || ((data[0] << 8) | data[1]) % 31 !== 0 || (data[0] & 0x0f) !== 8)) throw new Error('the image data does not start a zlib stream');
      imageData += length;
    } else if (type === 'IEND') break;
    else if (imageData > 0) afterImageData = true;
    if (header && type !== 'IHDR' && type !== 'PLTE' && type !== 'IDAT' && (bytes[typeAt] & 0x20) === 0) throw new Error(`unknown critical chunk ${type}`);
    at = end + 4;
  }
  if (!header) throw new Error('no IHDR chunk');
  if (imageData === 0) throw new Error('no image data (IDAT)');
  if (header.colourType === 3 && !palette) throw new Error('a palette image without its palette (PLTE)');
  return header;
}
