// Compact views of a read source dataset for assertions.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { readSource, type ReadSourceOptions } from '../../../server/dataset/readers';
import type { SourceDataset, SourceKind } from '../../../server/dataset/types';
import type { Problem } from '../../../server/util/errors';
import { snapshotTree, tempDir, writeTree, type TreeSpec } from '../../fixtures/makeSources';

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

/** A maker of temporary source trees; all of them are removed after the test file. */
export function treeMaker(prefix: string): (spec: TreeSpec) => Promise<string> {
  const cleanups: (() => void)[] = [];
  after(() => cleanups.forEach((cleanup) => cleanup()));
  return async (spec) => {
    const { dir, cleanup } = tempDir(prefix);
    cleanups.push(cleanup);
    await writeTree(dir, spec);
    return dir;
  };
}

/** Reads a source, checking that nothing below its root changed. */
export async function readUnchanged(root: string, options: ReadSourceOptions = {}): Promise<SourceDataset> {
  const before = snapshotTree(root);
  const ds = await readSource(root, options);
  assert.deepEqual(snapshotTree(root), before, 'the source is not modified');
  return ds;
}

/** Reads a source that must be of `kind` and have no problems (and must not change). */
export async function readClean(root: string, kind: SourceKind): Promise<SourceDataset> {
  const ds = await readUnchanged(root);
  assert.equal(ds.kind, kind);
  assert.deepEqual(ds.problems, []);
  return ds;
}
