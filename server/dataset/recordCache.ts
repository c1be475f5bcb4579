// The build cache inside the output folder: one finished image record per fingerprint,
// written as soon as that image is done, so that a rerun (or a run after a crash) reuses it.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync, writeJsonAtomic } from '../util/atomicWrite';
import type { Problem } from '../util/errors';
import type { ImageRecord } from './format';
import { holdsContent } from './ownedFiles';
import { CACHE_DIR } from './stateDir';

export { CACHE_DIR };

export interface CachedRecord {
  fingerprint: string;
  /** The record with empty descriptions (descriptions are filled per build). */
  record: ImageRecord;
  /** Warnings found when the image was processed, reported again on reuse. */
  warnings: Problem[];
  /** sha256 of every file the record names (image copy and region masks), dataset-relative. */
  files: Record<string, string>;
}

export function recordsDir(out: string): string {
  return join(out, CACHE_DIR, 'records');
}

export function cacheFileFor(out: string, fingerprint: string): string {
  return join(recordsDir(out), `${fingerprint}.json`);
}

function looksCached(value: unknown, fingerprint: string): value is CachedRecord {
  const v = value as Partial<CachedRecord> | null;
  return (
    typeof v === 'object' && v !== null && v.fingerprint === fingerprint &&
    typeof v.record === 'object' && v.record !== null && Array.isArray(v.record.regions) && Array.isArray(v.warnings) &&
    typeof v.files === 'object' && v.files !== null
  );
}

/** The cached record for `fingerprint` when it exists and every file it names is still in the output with the content it was written with. */
export async function readCachedRecord(out: string, fingerprint: string): Promise<CachedRecord | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(cacheFileFor(out, fingerprint), 'utf8'));
  } catch {
    return undefined;
  }
  if (!looksCached(parsed, fingerprint)) return undefined;
  const entry = parsed;
  const files = [entry.record.image, ...entry.record.regions.map((r) => r.mask)];
  if (!files.every((f) => typeof entry.files[f] === 'string')) return undefined;
  const intact = await Promise.all(files.map((f) => holdsContent(out, f, entry.files[f])));
  return intact.every(Boolean) ? entry : undefined;
}

export async function writeCachedRecord(file: string, entry: CachedRecord): Promise<void> {
  await writeJsonAtomic(file, entry);
}

/** writeCachedRecord with blocking calls, for a worker thread (the same file). */
export function writeCachedRecordSync(file: string, entry: CachedRecord): void {
  writeFileAtomicSync(file, `${JSON.stringify(entry, null, 2)}\n`);
}

/** Removes cache entries (and temp files of interrupted writes) that the finished build did not use. */
export async function pruneRecordCache(out: string, used: ReadonlySet<string>): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(recordsDir(out));
  } catch {
    return;
  }
  await Promise.all(
    names
      .filter((name) => !(name.endsWith('.json') && used.has(name.slice(0, -'.json'.length))))
      .map((name) => fs.rm(join(recordsDir(out), name), { force: true })),
  );
}
