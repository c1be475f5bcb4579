import { extname } from 'node:path';

/** Extensions read as images and masks (what sharp decodes), compared lower-case. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp'];

/**
 * Image formats a user may expect to work but which are not read; files with these
 * extensions are reported, every other unknown extension is ignored silently.
 */
const UNSUPPORTED_IMAGE_EXTENSIONS: readonly string[] = [
  '.bmp', '.gif', '.avif', '.heic', '.heif', '.jp2', '.j2k', '.jxl', '.ppm', '.pgm', '.pbm', '.pnm', '.exr', '.hdr', '.dng', '.raw', '.ico', '.tga',
];

export type FileKind = 'image' | 'unsupported-image' | 'other';

export function fileKind(name: string): FileKind {
  const ext = extname(name).toLowerCase();
  if (IMAGE_EXTENSIONS.includes(ext)) return 'image';
  if (UNSUPPORTED_IMAGE_EXTENSIONS.includes(ext)) return 'unsupported-image';
  return 'other';
}

/** The file name without its last extension. */
export function stemOf(name: string): string {
  return name.slice(0, name.length - extname(name).length);
}

/** Folder names that hold defect-free images in the generic and AnomalyDiffusion layouts. */
export function isGoodFolderName(name: string): boolean {
  return /^(good|ok|normal)$/i.test(name);
}
