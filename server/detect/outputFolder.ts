// The folder a detector or a detection run is written to: new, empty, or one written before (it
// holds `marker`), so that nothing else of the user's is replaced.
import { promises as fs } from 'node:fs';
import { UserError, errorMessage } from '../util/errors';

export async function checkOwnedOutput(out: string, marker: string, names: { forWhat: string; earlier: string }): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.readdir(out);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new UserError(code === 'ENOTDIR' ? `is a file, not a folder for ${names.forWhat}` : `cannot read (${code ?? errorMessage(err)})`, out);
  }
  if (entries.length > 0 && !entries.includes(marker)) throw new UserError(`is neither empty nor ${names.earlier} (no ${marker}); choose a new folder`, out);
}
