// Label maps and pixel lists across the child-server boundary: base64 of little-endian uint16
// (labels) or uint32 (pixel indices).  Used by the server and the extension host.
export function encodeLabels(labels: Uint16Array): string {
  const bytes = Buffer.alloc(labels.length * 2);
  for (let i = 0; i < labels.length; i++) bytes.writeUInt16LE(labels[i], i * 2);
  return bytes.toString('base64');
}

export function decodeLabels(text: string, count: number): Uint16Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== count * 2) throw new Error(`a label map of ${bytes.length / 2} values for ${count} pixels`);
  const labels = new Uint16Array(count);
  for (let i = 0; i < count; i++) labels[i] = bytes.readUInt16LE(i * 2);
  return labels;
}

/** A region's pixel indices as the server's describeRegions takes them inline. */
export function encodePixels(pixels: Uint32Array): string {
  const bytes = Buffer.alloc(pixels.length * 4);
  for (let i = 0; i < pixels.length; i++) bytes.writeUInt32LE(pixels[i], i * 4);
  return bytes.toString('base64');
}

export function decodePixels(text: string): Uint32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 4 !== 0) throw new Error('not a list of 32-bit pixel indices');
  const out = new Uint32Array(bytes.length / 4);
  for (let k = 0; k < out.length; k++) out[k] = bytes.readUInt32LE(k * 4);
  return out;
}
