// What a split file's lint request carries: a saved file its path only, an edited, unsaved or
// non-file document its text; and which failures of a lint by path are worth the text instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type LintedDocument, lintParams, refusedByServer } from '../../../language/lintParams';

function document(overrides: Partial<Omit<LintedDocument, 'uri'>> & { scheme?: string } = {}): LintedDocument & { reads: number } {
  const text = '{"image":"images/a.png","regions":[]}\n';
  const doc = {
    uri: { scheme: overrides.scheme ?? 'file' },
    fileName: overrides.fileName ?? '/data/ds/test.jsonl',
    isDirty: overrides.isDirty ?? false,
    isUntitled: overrides.isUntitled ?? false,
    reads: 0,
    getText: () => {
      doc.reads++;
      return text;
    },
  };
  return doc;
}

test('a saved split file is sent by its path only, without its text being read', () => {
  const saved = document();
  assert.deepEqual(lintParams(saved), { file: '/data/ds/test.jsonl' });
  assert.equal(saved.reads, 0);
});

test('an edited, an untitled or a non-file document sends its text as the editor holds it', () => {
  for (const doc of [document({ isDirty: true }), document({ isUntitled: true }), document({ scheme: 'vscode-remote' })]) {
    assert.deepEqual(lintParams(doc), { file: '/data/ds/test.jsonl', text: '{"image":"images/a.png","regions":[]}\n' });
  }
});

test('asked not to, a saved file sends its text too', () => {
  assert.deepEqual(lintParams(document(), false), { file: '/data/ds/test.jsonl', text: '{"image":"images/a.png","regions":[]}\n' });
});

test("only the server's refusals of the file are retried with the text", () => {
  assert.equal(refusedByServer({ kind: 'user', message: '/data/ds/test.jsonl: is a symbolic link' }), true);
  assert.equal(refusedByServer({ kind: 'internal' }), false);
  assert.equal(refusedByServer(new Error('the server exited')), false);
  assert.equal(refusedByServer(undefined), false);
});
