/** Writes a 0/255 8-bit greyscale PNG of one region (pixel indices y*width+x), atomically. */
export async function writeRegionPng(file: string, width: number, height: number, pixels: Uint32Array): Promise<void> {
  void file;
  void width;
  void height;
  void pixels;
  throw new Error('writeRegionPng: not implemented');
}
