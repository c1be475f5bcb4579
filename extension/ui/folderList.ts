// A list of folders a step collects (a build's sources): its rows and what adding and removing
// do. Enter goes on once a folder is listed: the active row is then Continue, and accepting a
// folder's row goes on too; a folder is removed only with its row's button. No `vscode`.

export type FolderRow = { kind: 'folder'; folder: string } | { kind: 'add' } | { kind: 'done' };

/** The rows (each folder, Add, then Continue once there is a folder) and which one Enter accepts. */
export function folderRows(folders: readonly string[]): { rows: FolderRow[]; active: number } {
  const rows: FolderRow[] = [...folders.map((folder) => ({ kind: 'folder' as const, folder })), { kind: 'add' }];
  if (folders.length) rows.push({ kind: 'done' });
  return { rows, active: rows.length - 1 };
}

/** The folders with those added after them, each once. */
export function addFolders(folders: readonly string[], added: readonly string[]): string[] {
  const out = [...folders];
  for (const f of added) if (!out.includes(f)) out.push(f);
  return out;
}

export function removeFolder(folders: readonly string[], folder: string): string[] {
  return folders.filter((f) => f !== folder);
}

/** Whether accepting the row ends the step (with every folder listed). */
export function rowGoesOn(row: FolderRow): boolean {
  return row.kind !== 'add';
}
