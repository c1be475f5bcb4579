// The split-file lint's bounds, in this thread: the problems past the limit are counted, not
// made, and are the same problems; a record's region messages made a slice at a time are the
// engine's messages; the text read as bytes gives the lines split('\n') gives; a line too long
// to read is reported.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkImageRecord } from '../../../server/dataset/schema';
import { DiagnosticSink, splitFileDiagnostics } from '../../../server/datasetText/diagnostics';
import { FileFactsCache } from '../../../server/datasetText/fileFacts';
import { MAX_LINE_BYTES, lintSplitFile } from '../../../server/datasetText/lintSplitFile';
import { parseSplitFile } from '../../../server/datasetText/parseSplitFile';
import { byteLines, sharedUtf8 } from '../../../server/datasetText/splitFileBytes';
import { sampleRecord } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'al-lint-bounds-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A record of `n` regions, every third of them broken in another way. */
function brokenRegions(n: number): Record<string, unknown> {
  const record = sampleRecord(0, n);
  const regions = record.regions as Record<string, unknown>[];
  for (let i = 0; i < n; i += 3) {
    if (i % 2) delete regions[i].mask;
    else regions[i].bbox = [0, 0, 0, 1];
  }
  regions[n - 1] = 7 as unknown as Record<string, unknown>;
  record.width = -1;
  return record;
}

test("a record's messages, made a slice of its regions at a time, are the engine's, in its order", () => {
  const record = brokenRegions(2_500);
  const diagnostics = splitFileDiagnostics(parseSplitFile(JSON.stringify(record)));
  assert.deepEqual(
    diagnostics.map((d) => d.message),
    checkImageRecord(record),
  );
  const last = diagnostics.at(-1);
  assert.equal(last?.region, 2_499);
});

test('past the limit the problems are counted, and they are the ones an unlimited check finds', () => {
  const text = [JSON.stringify(brokenRegions(40)), 'not json', '{}', JSON.stringify(brokenRegions(1_200))].join('\n');
  const all = splitFileDiagnostics(parseSplitFile(text));
  for (const limit of [0, 1, 7, 30, all.length - 1, all.length, all.length + 5]) {
    const sink = new DiagnosticSink(limit);
    const kept = splitFileDiagnostics(parseSplitFile(text), {}, sink);
    assert.deepEqual(kept, all.slice(0, limit), `limit ${limit}`);
    assert.equal(sink.more, Math.max(0, all.length - limit), `limit ${limit}`);
  }
});

test("the text read back from bytes has split('\\n')'s lines", () => {
  const text = 'é{"a":1}\r\n\n  \n{"b":"😀 ✓"}\n\u{10348}x\n\udc01 lone\nlast';
  assert.deepEqual(
    [...byteLines(sharedUtf8(text), 1_000)].map((l) => ('text' in l ? l.text : l)),
    text.split('\n').map((l) => l.replace('\udc01', '\ufffd')),
  );
  assert.deepEqual([...byteLines(sharedUtf8('a\n'), 10)], [{ line: 0, text: 'a' }, { line: 1, text: '' }]);
  assert.deepEqual([...byteLines(sharedUtf8('ab\n😀😀\n'), 3)], [{ line: 0, text: 'ab' }, { line: 1, tooLong: 4 }, { line: 2, text: '' }]);
});

test('a line longer than the limit is one problem of its own; the lines around it are checked', async () => {
  const long = JSON.stringify({ ...sampleRecord(0), note: 'x'.repeat(MAX_LINE_BYTES) });
  const lint = await lintSplitFile({ file: join(dir, 'train.jsonl'), bytes: sharedUtf8(['{}', long, '{"image":"../out.png"}'].join('\n')) }, new FileFactsCache());
  const tooLong = lint.diagnostics.filter((d) => d.line === 1);
  assert.equal(tooLong.length, 1);
  assert.equal(tooLong[0].code, 'line-too-long');
  assert.deepEqual(tooLong[0].range, { start: { line: 1, character: 0 }, end: { line: 1, character: long.length } });
  assert.match(tooLong[0].message, /this line is \d+ characters long; lines over 1048576 bytes are not checked here \(anomaly-lens validate checks them\)/);
  assert.ok(lint.diagnostics.some((d) => d.line === 0 && d.code === 'missing-field'));
  assert.ok(lint.diagnostics.some((d) => d.line === 2 && d.code === 'path-escapes'));
  assert.deepEqual([...lint.records], [0, 2]);
});
