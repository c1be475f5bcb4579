export interface ImageInfo {
  width: number;
  height: number;
  channels: number;
  /** Bits per sample (8 or 16). */
  depth: number;
  format: string;
}

/** Reads an image's header (and verifies it decodes); errors name the file. */
export async function readImageInfo(file: string): Promise<ImageInfo> {
  void file;
  throw new Error('readImageInfo: not implemented');
}
