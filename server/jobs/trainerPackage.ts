import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { UserError } from '../util/errors';

/**
 * The folder to put on PYTHONPATH so that `python -m anomaly_lens` finds the trainer package:
 * dist/trainer beside a bundled entry point (the build copies the package there), or
 * server/trainer in the source tree. `from` is the running script's folder.
 */
export function trainerPythonPath(from: string = __dirname): string {
  const candidates = [join(from, 'trainer'), join(from, '..', 'trainer'), join(from, '..', 'server', 'trainer')];
  for (const candidate of candidates) {
    if (existsSync(join(candidate, 'anomaly_lens', '__main__.py'))) return resolve(candidate);
  }
  throw new UserError(
    `the trainer package (anomaly_lens) is missing: looked in ${candidates.map((c) => resolve(c)).join(', ')}. ` +
      'Reinstall Anomaly Lens, or run `npm run build` in a source checkout.',
  );
}

/** PYTHONPATH with the trainer package first, then whatever the environment had. */
export function pythonPathWithTrainer(existing: string | undefined, from?: string): string {
  const own = trainerPythonPath(from);
  return existing ? `${own}${delimiter}${existing}` : own;
}
