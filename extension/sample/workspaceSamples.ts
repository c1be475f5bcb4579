// The samples in the workspace: every sample.json that a complete sample output wrote, with the
// sample's two source folders.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { excludedFolders, readText } from '../views/workspaceFiles';
import { sampleSources } from './sampleChoices';

export interface WorkspaceSample {
  folder: string;
  synthetic: string;
  mvtec: string;
}

/** The sample whose sample.json this is, or undefined (another file, a sample being written, no file). */
export async function readSample(manifest: string): Promise<WorkspaceSample | undefined> {
  const sources = sampleSources(await readText(vscode.Uri.file(manifest)).catch(() => ''));
  const folder = path.dirname(manifest);
  return sources && { folder, synthetic: path.join(folder, sources.synthetic), mvtec: path.join(folder, sources.mvtec) };
}

export async function findSamples(): Promise<WorkspaceSample[]> {
  const files = await vscode.workspace.findFiles('**/sample.json', excludedFolders(), 50);
  const found = (await Promise.all(files.map((file) => readSample(file.fsPath)))).filter((s) => s !== undefined);
  return found.sort((a, b) => a.folder.localeCompare(b.folder));
}
