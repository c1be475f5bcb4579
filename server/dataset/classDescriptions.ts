// The defect classes of a dataset folder with the descriptions they have now: what
// `anomaly-lens descriptions` lists and writes as an overrides template.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createDescriber, type ClassDescriber, type DescribeRequest } from '../describe';
import type { DescriptionEntry } from '../describe/types';
import type { Problem } from '../util/errors';
import { readManifest, MANIFEST_FILE } from './manifest';
import { readSource } from './readers';

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
