// Files an export writes: copies of the dataset's images (never links) and names without the
// content hash the dataset's own names carry.
import { constants, promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';

/** `images/test/a/000.3fa9c2d1.png` -> `images/test/a/000.png` (names in a dataset folder are unique without the hash). */
export function withoutContentHash(rel: string): string {
  return rel.replace(/\.[0-9a-f]{8}(\.[^./]+)$/, '$1');
}

/** Copies a file into the export (a copy-on-write clone where the file system has them). */
export async function copyInto(from: string, out: string, rel: string): Promise<void> {
  const to = join(out, rel);
  await fs.mkdir(dirname(to), { recursive: true });
  await fs.copyFile(from, to, constants.COPYFILE_FICLONE);
}

export async function writeInto(out: string, rel: string, data: string | Uint8Array): Promise<void> {
  const to = join(out, rel);
  await fs.mkdir(dirname(to), { recursive: true });
  await fs.writeFile(to, data);
}
