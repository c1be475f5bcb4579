// The version of an image's regions, the one notion every writer of them shares (the mask editor's
// save, the Review view's relabel; a build, a quick fix or another program simply change it):
// a digest of the image's record and split in a built dataset, or of the mask file's bytes for a
// source mask.  A save names the version it was made from and is refused when the regions have
// moved on since, so no writer overwrites a change it has not read.  Other records changing is no
// conflict: a save replaces only its own record and merges the rest under the dataset's lock.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import type { ImageRecord } from '../dataset/format';
import type { Split } from '../dataset/types';
import { UserError } from '../util/errors';
import type { RegionsSource } from './regionsTypes';

const digest = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex').slice(0, 32);

/** A built dataset's record, as its split file holds it. */
export function recordVersion(split: Split, record: ImageRecord): string {
  return `record:${digest(`${split}\n${JSON.stringify(record)}`)}`;
}

/** A mask file's bytes ('missing' when there is none). */
export async function maskFileVersion(file: string): Promise<string> {
  try {
    return `mask:${digest(await fs.readFile(file))}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'mask:missing';
    throw err;
  }
}

/** The version of the regions a source names now (a dataset source is as fresh as the record it carries). */
export async function versionOf(source: RegionsSource): Promise<string | undefined> {
  if (source.kind === 'dataset') return recordVersion(source.split, source.record);
  if (source.kind === 'mask') return maskFileVersion(source.mask);
  return undefined;
}

/** A save or relabel made from a version of the regions that is no longer the current one. */
export class StaleVersionError extends UserError {
  constructor(
    message: string,
    file: string | undefined,
    /** The version the regions are at now. */
    readonly current: string,
  ) {
    super(message, file);
    this.name = 'StaleVersionError';
  }
}

/**
 * Refuses a write based on `base` when the regions of `image` are at `current` now, naming the
 * file they live in (no base: a write that read nothing, such as Save As onto a chosen file).
 */
export function checkBase(base: string | undefined, current: string, image: string, file?: string): void {
  if (base === undefined || base === current) return;
  throw new StaleVersionError(
    `the regions of ${basename(image)} changed since they were read (by another editor, the Review view, a rebuild or another program); reload them, or overwrite that change`,
    file,
    current,
  );
}

/**
 * Reads the regions a source names at one version: the version is taken before and after the
 * read, and the read repeated while a writer changed them in between.
 */
export async function readAtVersion<T>(source: RegionsSource, read: () => Promise<T>): Promise<{ value: T; version: string | undefined }> {
  for (let attempt = 0; ; attempt++) {
    const before = await versionOf(source);
    const value = await read();
    if ((await versionOf(source)) === before) return { value, version: before };
    if (attempt >= 5) throw new UserError('kept changing while its regions were read; open it again', source.kind === 'mask' ? source.mask : undefined);
  }
}
