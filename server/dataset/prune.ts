// After a complete build: removes files of earlier builds that no record refers to any more.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

async function prunedTree(root: string, rel: string, keep: ReadonlySet<string>): Promise<boolean> {
  let entries;
  try {
    entries = await fs.readdir(join(root, rel), { withFileTypes: true });
  } catch {
    return true;
  }
  let empty = true;
  for (const entry of entries) {
    const childRel = `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      if (await prunedTree(root, childRel, keep)) await fs.rmdir(join(root, childRel)).catch(() => undefined);
      else empty = false;
    } else if (keep.has(childRel)) {
      empty = false;
    } else {
      await fs.rm(join(root, childRel), { force: true });
    }
  }
  return empty;
}

/** Deletes every file below `root/<folder>` (for each folder) whose dataset-relative path is not in `keep`. */
export async function pruneUnreferenced(root: string, folders: readonly string[], keep: ReadonlySet<string>): Promise<void> {
  for (const folder of folders) await prunedTree(root, folder, keep);
}
