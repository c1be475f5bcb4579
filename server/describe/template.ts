// A starting overrides file for curators: every class of a dataset with the description it
// has now, in the "object/defect": "text" form that --overrides reads back.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readManifest, MANIFEST_FILE } from '../dataset/manifest';
import { readSource } from '../dataset/readers';
import type { DescriptionEntry } from '../dataset/format';
import { UserError, type Problem } from '../util/errors';
import { writeFileAtomic } from '../util/atomicWrite';
import { createDescriber, type ClassDescriber, type DescribeRequest } from './describer';

export const TEMPLATE_COMMENT =
  'Curated descriptions for `anomaly-lens build --overrides FILE`. Edit a text to change it; delete a line to keep ' +
  'the built-in or LLM description. Keys are "object/defect"; "*/defect" applies to every object, "object/*" to every ' +
  'defect of an object; {object} and {defect} in a text stand for the readable names. Keys starting with $ are ignored.';

/** The overrides file text for these entries, sorted by object and defect. */
export function overridesTemplateText(entries: readonly Pick<DescriptionEntry, 'object' | 'defect' | 'text'>[]): string {
  const sorted = [...entries].sort((a, b) => a.object.localeCompare(b.object) || a.defect.localeCompare(b.defect));
  const file: Record<string, string> = { $comment: TEMPLATE_COMMENT };
  for (const e of sorted) {
    const key = `${e.object}/${e.defect}`;
    if (!(key in file)) file[key] = e.text;
  }
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Writes a template; an existing file is kept unless `overwrite`. */
export async function writeOverridesTemplate(
  file: string,
  entries: readonly Pick<DescriptionEntry, 'object' | 'defect' | 'text'>[],
  options: { overwrite?: boolean } = {},
): Promise<void> {
  const path = resolve(file);
  if (!options.overwrite && existsSync(path)) throw new UserError('the file exists already; choose another name or allow overwriting', path);
  await writeFileAtomic(path, overridesTemplateText(entries));
}

/** The defect classes of a source dataset, each with one of its images as the example. */
export async function sourceClasses(root: string): Promise<DescribeRequest[]> {
  const source = await readSource(root);
  const classes = new Map<string, DescribeRequest>();
  const add = (object: string, defect: string, image: string): void => {
    const key = `${object}\0${defect}`;
    if (!classes.has(key)) classes.set(key, { object, defect, exampleImage: image });
  };
  for (const s of source.samples) {
    if (s.defect === 'good' || !s.mask) continue;
    const named = Object.values(s.classNames ?? {});
    if (named.length > 0) for (const defect of named) add(s.object, defect, s.image);
    else add(s.object, s.defect, s.image);
    for (const label of s.labels ?? []) add(s.object, label, s.image);
  }
  return [...classes.values()];
}

/**
 * Every class of a dataset folder with its current description: a built dataset's
 * (dataset.json) as recorded, a source dataset's as `describer` (default: built-in) words them.
 */
export async function datasetDescriptions(dir: string, describer: ClassDescriber = createDescriber({ mode: 'builtin' })): Promise<{ entries: DescriptionEntry[]; problems: Problem[] }> {
  if (existsSync(join(dir, MANIFEST_FILE))) {
    const manifest = await readManifest(dir);
    const recorded = new Set(manifest.descriptions.map((d) => `${d.object}\0${d.defect}`));
    const missing = manifest.defects.filter((c) => !recorded.has(`${c.object}\0${c.defect}`));
    const described = await describer.describeAll(missing);
    return { entries: [...manifest.descriptions, ...described.entries], problems: described.problems };
  }
  return describer.describeAll(await sourceClasses(dir));
}
