// A starting overrides file for curators: every class of a dataset with the description it
// has now (dataset/classDescriptions.ts), in the "object/defect": "text" form that --overrides reads back.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../util/errors';
import { writeFileAtomic } from '../util/atomicWrite';
import type { DescriptionEntry } from './types';

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
