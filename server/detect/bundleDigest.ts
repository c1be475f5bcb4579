// The digest a detector records of the model bundle it describes regions with: sha256 over
// bundle.json and each file it names, in a fixed order, so a changed model no longer matches.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bundleFile, readManifest } from '../model/bundle';

export function bundleDigest(dir: string): string {
  const { file, manifest } = readManifest(dir);
  const hash = createHash('sha256');
  hash.update(readFileSync(file));
  for (const [key, relative] of Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (typeof relative !== 'string') continue;
    hash.update(`\u0000${key}\u0000`);
    hash.update(readFileSync(bundleFile(dir, relative, `files.${key}`, file)));
  }
  return hash.digest('hex');
}
