// Compact views of a read source dataset for assertions.
import { join, relative } from 'node:path';
import type { SourceDataset } from '../../../server/dataset/types';
import type { Problem } from '../../../server/util/errors';

const rel = (root: string, path: string) => relative(root, path).split('\\').join('/');

/** One line per sample: `image | mask | object defect split` with root-relative paths. */
export function summary(ds: SourceDataset): string[] {
  return ds.samples.map((s) => `${rel(ds.root, s.image)} | ${s.mask ? rel(ds.root, s.mask) : '-'} | ${s.object} ${s.defect} ${s.split ?? '-'}`);
}

/** The problems whose `file` is `path` (relative to the root); fails when there is none. */
export function problemsAbout(ds: SourceDataset, path: string): Problem[] {
  const file = join(ds.root, path);
  const found = ds.problems.filter((p) => p.file === file);
  if (found.length === 0) throw new Error(`no problem about ${path}; problems: ${JSON.stringify(ds.problems, null, 1)}`);
  return found;
}
