// The tool's own folder inside a dataset: the marker that the folder is ours, the build lock,
// the log of every file a build wrote, staged manifests and temporary files.
import { join } from 'node:path';

export const STATE_DIR = '.anomaly-lens';

export const stateFiles = (out: string) => ({
  dir: join(out, STATE_DIR),
  lock: join(out, STATE_DIR, 'lock'),
  written: join(out, STATE_DIR, 'written.log'),
  staging: join(out, STATE_DIR, 'staging'),
  tmp: join(out, STATE_DIR, 'tmp'),
});
