// Document links: every image and mask path of a split file (from its last lint, so a file of
// 100,000 lines is not parsed here) and the files a bundle.json names.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { bundleLinksTo } from '../server/datasetText/linkRanges';
import { confinedPath } from './confinedPath';
import type { LintController } from './lintController';
import { datasetRoot } from './splitFiles';

export class SplitFileLinkProvider implements vscode.DocumentLinkProvider {
  constructor(private readonly lint: LintController) {}

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const state = this.lint.last(document);
    if (!state) return [];
    const root = datasetRoot(document);
    const links: vscode.DocumentLink[] = [];
    for (const [line, start, end] of state.result.links) {
      // The path is read from the text: after an edit, a link is kept only while a string still lies there.
      if (line >= document.lineCount) continue;
      let written: unknown;
      try {
        written = JSON.parse(document.lineAt(line).text.slice(start, end));
      } catch {
        continue;
      }
      if (typeof written !== 'string') continue;
      const link = new vscode.DocumentLink(new vscode.Range(line, start, line, end), vscode.Uri.file(path.join(root, written)));
      link.tooltip = 'Open the file';
      links.push(link);
    }
    return links;
  }
}

export class BundleLinkProvider implements vscode.DocumentLinkProvider {
  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const folder = path.dirname(document.fileName);
    return bundleLinksTo(document.getText(), (file) => confinedPath(folder, file)).map((l) => {
      const link = new vscode.DocumentLink(new vscode.Range(l.range.start.line, l.range.start.character, l.range.end.line, l.range.end.character), vscode.Uri.file(l.target));
      link.tooltip = 'Open the file';
      return link;
    });
  }
}
