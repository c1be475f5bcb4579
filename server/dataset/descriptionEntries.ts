// dataset.json's descriptions as the readers that go on without them need them: the split-file
// checks, a record's predictions and the mask editor's classes.  Read leniently: an unreadable
// dataset.json or one without a list gives none, and an entry without an object, a defect and a
// text is passed over (anomaly-lens validate reports those).  And the distinct texts of a list
// of them: what a record's regions are ranked against, and what a training run learns.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { DescriptionEntry } from './format';
import { MANIFEST_FILE } from './manifest';

/** A class of a dataset with its description. */
export type ClassDescription = Pick<DescriptionEntry, 'object' | 'defect' | 'text'>;

/** The description entries of the dataset in `root`, in dataset.json's order; undefined when it has no readable list of them. */
export async function readDescriptionEntries(root: string): Promise<ClassDescription[] | undefined> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await fs.readFile(join(root, MANIFEST_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const list = (manifest as { descriptions?: unknown } | null)?.descriptions;
  if (!Array.isArray(list)) return undefined;
  return list.filter(
    (d): d is ClassDescription => typeof d?.object === 'string' && typeof d?.defect === 'string' && typeof d?.text === 'string',
  );
}

/** The distinct texts of the entries, in their order; an empty text is none. */
export function distinctTexts(entries: readonly Pick<DescriptionEntry, 'text'>[]): string[] {
  return [...new Set(entries.map((d) => d.text).filter((t) => t !== ''))];
}
