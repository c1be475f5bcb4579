// fast-png publishes its types only through package "exports", which the project's
// "node" module resolution does not read; this declares the part the mask reader uses.
declare module 'fast-png' {
  export interface DecodedPng {
    width: number;
    height: number;
    /** Samples, row-major; rows of 1-, 2- and 4-bit images stay packed, each starting on a byte. */
    data: Uint8Array | Uint8ClampedArray | Uint16Array;
    depth: 1 | 2 | 4 | 8 | 16;
    channels: number;
    palette?: number[][];
  }
  export function decode(data: ArrayBufferView | ArrayBufferLike, options?: { checkCrc?: boolean }): DecodedPng;
}
