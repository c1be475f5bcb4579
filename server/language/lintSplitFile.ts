// One pass over a split file as the editor holds it: parse, gather the facts of the files it
// names, and list its problems (with their fixes), its paths and its records.  Runs in a worker
// thread of the child server (lintWorker.ts) so that a file of 100,000 lines blocks nothing.
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { MANIFEST_FILE } from '../dataset/manifest';
import { confinement } from './confinement';
import { splitFileDiagnostics } from './diagnostics';
import { type FileFactsCache, gatherFileFacts } from './fileFacts';
import { splitFileLinks } from './links';
import { parseSplitFile } from './parseSplitFile';
import { quickFixes } from './quickFixes';
import type { DescriptionEntry, LintedDiagnostic, LinkSpan, SplitFileLint } from './types';

export interface LintSplitFileTask {
  /** The split file's path; its folder is the dataset root. */
  file: string;
  text: string;
  /** Most problems listed (default 10,000). */
  maxDiagnostics?: number;
  /** Its first 32-bit integer turns 1 when the request is cancelled: the lint stops at its next stage. */
  cancel?: SharedArrayBuffer;
}

export const MAX_DIAGNOSTICS = 10_000;

/** dataset.json's descriptions, or undefined when there is no readable dataset.json beside the file. */
async function datasetDescriptions(root: string): Promise<DescriptionEntry[] | undefined> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await fs.readFile(join(root, MANIFEST_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const list = (manifest as { descriptions?: unknown } | null)?.descriptions;
  if (!Array.isArray(list)) return undefined;
  return list.filter(
    (d): d is DescriptionEntry => typeof d?.object === 'string' && typeof d?.defect === 'string' && typeof d?.text === 'string',
  );
}

function stopIfCancelled(task: LintSplitFileTask): void {
  if (task.cancel && Atomics.load(new Int32Array(task.cancel), 0) === 1) throw new Error(`checking ${task.file} was cancelled`);
}

export async function lintSplitFile(task: LintSplitFileTask, cache: FileFactsCache): Promise<SplitFileLint> {
  const root = dirname(task.file);
  const parsed = parseSplitFile(task.text);
  stopIfCancelled(task);
  const [descriptions, files] = await Promise.all([datasetDescriptions(root), gatherFileFacts(root, parsed, cache)]);
  stopIfCancelled(task);
  const confine = confinement(root);
  const all = splitFileDiagnostics(parsed, { root, descriptions, files, confine });
  const limit = task.maxDiagnostics ?? MAX_DIAGNOSTICS;
  const byLine = new Map(parsed.records.map((r) => [r.line, r]));
  const diagnostics: LintedDiagnostic[] = all.slice(0, limit).map((d) => {
    const record = byLine.get(d.line);
    const fixes = record ? quickFixes(record, d, (path) => files.get(path)) : [];
    return fixes.length > 0 ? { ...d, fixes } : d;
  });
  const links: LinkSpan[] = splitFileLinks(parsed, root, confine).map((l) => [l.range.start.line, l.range.start.character, l.range.end.character]);
  return { diagnostics, more: all.length - diagnostics.length, links, records: parsed.records.map((r) => r.line) };
}
