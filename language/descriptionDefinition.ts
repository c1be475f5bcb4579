// Go to Definition from a region's description to its class's entry in dataset.json.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MANIFEST_FILE } from '../server/dataset/manifestText';
import { scanJson } from '../server/datasetText/jsonScanner';
import { descriptionDefinition } from '../server/datasetText/linkRanges';
import { SplitRecord } from '../server/datasetText/parseSplitFile';
import { datasetRoot } from './splitFiles';

export class DescriptionDefinitionProvider implements vscode.DefinitionProvider {
  async provideDefinition(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Location | undefined> {
    const { node } = scanJson(document.lineAt(position.line).text);
    if (!node) return undefined;
    const record = new SplitRecord(position.line, node);
    const manifest = vscode.Uri.file(path.join(datasetRoot(document), MANIFEST_FILE));
    let text: string;
    try {
      text = (await vscode.workspace.openTextDocument(manifest)).getText();
    } catch {
      return undefined;
    }
    const range = descriptionDefinition(record, { line: position.line, character: position.character }, text);
    return range && new vscode.Location(manifest, new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character));
  }
}
