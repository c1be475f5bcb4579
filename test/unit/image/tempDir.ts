// A temporary folder for the tests of one describe block, removed after them.
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Returns a function giving paths inside the folder (the folder itself without a name). */
export function useTempDir(prefix: string): (name?: string) => string {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), `anomaly-lens-${prefix}-`));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return (name = '') => join(dir, name);
}
