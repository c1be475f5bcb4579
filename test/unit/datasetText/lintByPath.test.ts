// A saved split file linted by its path alone, through the real child server on a real built
// sample dataset: the same answer as its text sent whole; a path that is no split file's, a link,
// a folder, a pipe or a missing file refused with an error naming it; and the reader itself.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ServerRequestError } from '../../../extension/client/errors';
import { readSplitFileShared } from '../../../server/datasetText/splitFileOnDisk';
import type { DiagnosticCode } from '../../../server/datasetText/types';
import { ErrorCodes, LintSplitFileRequest, PingRequest } from '../../../server/rpc/protocol';
import { CLI_SCRIPT, ensureBuilt, newClient } from '../rpc/fixtures';

let dir = '';
let dataset = '';
let file = '';
let lines: string[] = [];

function cli(...args: string[]): void {
  const r = spawnSync(process.execPath, [CLI_SCRIPT, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

before(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'al-lint-by-path-'));
  cli('sample', join(dir, 'sample'), '--scale', '0.05');
  dataset = join(dir, 'dataset');
  cli('build', join(dir, 'sample', 'mvtec'), '--out', dataset);
  file = join(dataset, 'test.jsonl');
  lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  assert.ok(lines.length >= 5, `${lines.length} records`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The lines of the built test.jsonl with problems of several kinds among them. */
function withProblems(): string[] {
  const out = [...lines];
  const record = JSON.parse(out[1]) as { regions: { bbox: number[] }[]; width: number };
  record.regions[0].bbox = [0, 0, 1, 1];
  out[1] = JSON.stringify(record);
  out[2] = out[2].slice(0, out[2].length >> 1);
  const missing = JSON.parse(out[3]) as { image: string };
  missing.image = 'images/none.png';
  out[3] = JSON.stringify(missing);
  return out;
}

function refusal(pattern: RegExp, path: string): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof ServerRequestError, String(err));
    assert.equal(err.code, ErrorCodes.UserError, err.message);
    assert.equal(err.kind, 'user');
    assert.ok(err.message.includes(path), `the error names ${path}: ${err.message}`);
    assert.match(err.message, pattern);
    return true;
  };
}

describe('anomalyLens/lintSplitFile by path', () => {
  it("gives the diagnostics, links and records of the text sent whole, for a built dataset's split file and one edited on disk", async (t) => {
    const client = newClient(t);
    const plain = await client.request(LintSplitFileRequest, { file });
    assert.deepEqual(plain, await client.request(LintSplitFileRequest, { file, text: readFileSync(file, 'utf8') }));
    assert.equal(plain.records.length, lines.length);
    assert.ok(plain.links.length >= lines.length, `${plain.links.length} links`);

    const edited = join(dataset, 'edited.jsonl');
    const text = `${withProblems().join('\n')}\n`;
    writeFileSync(edited, text);
    const byPath = await client.request(LintSplitFileRequest, { file: edited });
    assert.deepEqual(byPath, await client.request(LintSplitFileRequest, { file: edited, text }));
    const codes = new Set(byPath.diagnostics.map((d) => d.code));
    for (const code of ['bbox-mismatch', 'malformed-json', 'image-missing'] as DiagnosticCode[]) assert.ok(codes.has(code), `${code} in ${[...codes].join(', ')}`);
  });

  it('reads a file with a byte order mark and Windows line ends as the editor shows it', async (t) => {
    const client = newClient(t);
    const crlf = join(dataset, 'crlf.jsonl');
    const text = `${withProblems().join('\r\n')}\r\n`;
    writeFileSync(crlf, `\ufeff${text}`);
    assert.deepEqual(await client.request(LintSplitFileRequest, { file: crlf }), await client.request(LintSplitFileRequest, { file: crlf, text }));
  });

  it('refuses a path that is no split file, a relative one, a link, a folder and a pipe, naming each, and goes on', async (t) => {
    const client = newClient(t);
    const { pid } = await client.request(PingRequest);
    const manifest = join(dataset, 'dataset.json');
    await assert.rejects(client.request(LintSplitFileRequest, { file: manifest }), refusal(/is not a split file \(\*\.jsonl\)/, manifest));
    await assert.rejects(client.request(LintSplitFileRequest, { file: '/etc/passwd' }), refusal(/is not a split file/, '/etc/passwd'));
    await assert.rejects(client.request(LintSplitFileRequest, { file: 'dataset/test.jsonl' }), refusal(/needs an absolute path/, 'dataset/test.jsonl'));

    const inside = join(dataset, 'link.jsonl');
    symlinkSync(file, inside);
    await assert.rejects(client.request(LintSplitFileRequest, { file: inside }), refusal(/is a symbolic link/, inside));
    const outside = join(dataset, 'passwd.jsonl');
    symlinkSync('/etc/passwd', outside);
    await assert.rejects(client.request(LintSplitFileRequest, { file: outside }), refusal(/is a symbolic link/, outside));

    const folder = join(dataset, 'folder.jsonl');
    mkdirSync(folder);
    await assert.rejects(client.request(LintSplitFileRequest, { file: folder }), refusal(/is a directory/, folder));
    if (process.platform !== 'win32') {
      const pipe = join(dataset, 'pipe.jsonl');
      execFileSync('mkfifo', [pipe]);
      await assert.rejects(client.request(LintSplitFileRequest, { file: pipe }), refusal(/is a named pipe \(FIFO\), not a split file; refused without reading it/, pipe));
    }

    // A link's text, sent by the editor, is checked as any text.
    assert.equal((await client.request(LintSplitFileRequest, { file: inside, text: readFileSync(file, 'utf8') })).records.length, lines.length);
    assert.equal((await client.request(PingRequest)).pid, pid);
  });

  it('says which file is missing or unreadable', async (t) => {
    const client = newClient(t);
    const missing = join(dataset, 'missing.jsonl');
    await assert.rejects(client.request(LintSplitFileRequest, { file: missing }), refusal(/cannot read the split file: no such file/, missing));
    const underFile = join(file, 'test.jsonl');
    await assert.rejects(client.request(LintSplitFileRequest, { file: underFile }), refusal(/cannot read the split file: a folder on its path is a file/, underFile));
  });
});

describe('readSplitFileShared', () => {
  it('gives the bytes in shared memory, without a byte order mark, and an empty file as no bytes', async () => {
    const bytes = await readSplitFileShared(file);
    assert.ok(bytes.buffer instanceof SharedArrayBuffer);
    assert.deepEqual(Buffer.from(bytes), readFileSync(file));
    const marked = join(dir, 'marked.jsonl');
    writeFileSync(marked, '\ufeff{"a":1}\n');
    assert.equal(Buffer.from(await readSplitFileShared(marked)).toString('utf8'), '{"a":1}\n');
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    assert.equal((await readSplitFileShared(empty)).length, 0);
  });
});
