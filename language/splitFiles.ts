// Which documents are a dataset's split files, and where their dataset folder is.
import * as path from 'node:path';
import type * as vscode from 'vscode';

export const SPLIT_FILE_PATTERN = '**/{train,val,test}.jsonl';

export const SPLIT_FILE_SELECTOR: vscode.DocumentFilter = { scheme: 'file', pattern: SPLIT_FILE_PATTERN };

export function isSplitFile(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && /^(train|val|test)\.jsonl$/.test(path.basename(document.fileName));
}

/** The dataset folder of a split file: the paths in it are relative to it. */
export function datasetRoot(document: vscode.TextDocument): string {
  return path.dirname(document.fileName);
}
