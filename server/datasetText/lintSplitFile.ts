// One pass over a split file as the editor holds it: parse, gather the facts of the files it
// names, and list its problems (with their fixes), its paths and its records.  Runs in a worker
// thread of the child server (lintWorker.ts) so that a file of 100,000 lines blocks nothing.
// Memory stays bounded whatever the file holds: the text comes as UTF-8 bytes and is read a
// chunk of lines at a time, only the first problems are made (the rest are counted), and line
// numbers and links are packed integers.  Two million lines of `{}` (twelve million problems)
// send 10,000 of them and the count of the rest.
// It runs in untrusted workspaces too: it runs no code of the workspace (no Python, model or
// LLM), and reads only dataset.json and the images and masks named inside the dataset folder.
import { dirname } from 'node:path';
import { readDescriptionEntries } from '../dataset/descriptionEntries';
import { confinement } from './confinement';
import { DiagnosticSink, diagnoseRecord, recordCheckContext, syntaxDiagnostic } from './diagnostics';
import { type FileFactsCache, gatherFileFacts } from './fileFacts';
import { IntList } from './intList';
import { splitFileLinks } from './links';
import { type ParsedSplitFile, addSplitLine, inLineOrder, isSyntaxError } from './parseSplitFile';
import { quickFixes } from './quickFixes';
import { lineRange } from './range';
import { byteLines } from './splitFileBytes';
import type { PackedSplitFileLint } from './types';

export interface LintSplitFileTask {
  /** The split file's path; its folder is the dataset root. */
  file: string;
  /** Its text as UTF-8, in shared memory (splitFileBytes.ts's sharedUtf8, splitFileOnDisk.ts). */
  bytes: Uint8Array;
  /** Most problems listed (default 10,000). */
  maxDiagnostics?: number;
  /** Its first 32-bit integer turns 1 when the request is cancelled: the lint stops at its next chunk. */
  cancel?: SharedArrayBuffer;
}

export const MAX_DIAGNOSTICS = 10_000;

/** A line longer than this (in UTF-8 bytes) is reported, not parsed: a record of 300,000 empty regions takes 0.9 MB. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** A chunk ends after this many lines or characters, whichever comes first. */
const CHUNK_LINES = 1000;
const CHUNK_CHARS = MAX_LINE_BYTES;

function stopIfCancelled(task: LintSplitFileTask): void {
  if (task.cancel && Atomics.load(new Int32Array(task.cancel), 0) === 1) throw new Error(`checking ${task.file} was cancelled`);
}

/** The file parsed a chunk at a time; a line too long to read is a syntax error of its own kind. */
function* parsedChunks(bytes: Uint8Array): Generator<ParsedSplitFile> {
  let chunk: ParsedSplitFile = { records: [], errors: [] };
  let lines = 0;
  let size = 0;
  for (const item of byteLines(bytes, MAX_LINE_BYTES)) {
    if ('tooLong' in item) {
      const message = `this line is ${item.tooLong} characters long; lines over ${MAX_LINE_BYTES} bytes are not checked here (anomaly-lens validate checks them)`;
      chunk.errors.push({ line: item.line, range: lineRange(item.line, 0, item.tooLong), message, tooLong: true });
    } else {
      addSplitLine(chunk, item.text, item.line);
      size += item.text.length;
    }
    if (++lines >= CHUNK_LINES || size >= CHUNK_CHARS) {
      yield chunk;
      chunk = { records: [], errors: [] };
      lines = 0;
      size = 0;
    }
  }
  if (lines > 0) yield chunk;
}

export async function lintSplitFile(task: LintSplitFileTask, cache: FileFactsCache): Promise<PackedSplitFileLint> {
  const root = dirname(task.file);
  const confine = confinement(root);
  const descriptions = await readDescriptionEntries(root);
  const sink = new DiagnosticSink(task.maxDiagnostics ?? MAX_DIAGNOSTICS);
  const links = new IntList();
  const records = new IntList();
  for (const chunk of parsedChunks(task.bytes)) {
    stopIfCancelled(task);
    const files = await gatherFileFacts(root, chunk, cache);
    const context = recordCheckContext({ root, descriptions, files, confine });
    for (const item of inLineOrder(chunk)) {
      if (isSyntaxError(item)) {
        sink.add(syntaxDiagnostic(item));
        continue;
      }
      records.push(item.line);
      const first = sink.kept.length;
      diagnoseRecord(item, context, sink);
      for (let i = first; i < sink.kept.length; i++) {
        const fixes = quickFixes(item, sink.kept[i], (path) => files.get(path));
        if (fixes.length > 0) sink.kept[i] = { ...sink.kept[i], fixes };
      }
    }
    for (const l of splitFileLinks(chunk, root, confine)) links.push(l.range.start.line, l.range.start.character, l.range.end.character);
  }
  return { diagnostics: sink.kept, more: sink.more, links: links.toArray(), records: records.toArray() };
}
