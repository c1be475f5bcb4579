// What a split file's lint request carries: a saved file only its path (the server reads it from
// disk, so a large file opened does not hold up the hovers asked right after it), an edited or
// unsaved one its text as the editor holds it.  Pure: tested without VS Code.
import type { LintSplitFileParams } from '../server/rpc/protocol';

/** The little of a vscode.TextDocument the choice needs. */
export interface LintedDocument {
  readonly uri: { readonly scheme: string };
  readonly fileName: string;
  readonly isDirty: boolean;
  readonly isUntitled: boolean;
  getText(): string;
}

/** Whether the server may read the document's file instead of being sent its text. */
export function readableFromDisk(document: LintedDocument): boolean {
  return document.uri.scheme === 'file' && !document.isDirty && !document.isUntitled;
}

/** The request for `document`; `byPath` false sends its text whatever it is. */
export function lintParams(document: LintedDocument, byPath = true): LintSplitFileParams {
  return byPath && readableFromDisk(document) ? { file: document.fileName } : { file: document.fileName, text: document.getText() };
}

/**
 * Whether a lint by path failed for the file's sake (the server's 'user' errors: missing,
 * unreadable, a link, too large), so that sending the text instead may still check it.
 */
export function refusedByServer(err: unknown): boolean {
  return (err as { kind?: unknown } | null)?.kind === 'user';
}
