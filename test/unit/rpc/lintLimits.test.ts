// Split-file lints that would have taken the child server down, through the real server: two
// million lines of `{}` (twelve million problems), one record with 300,000 regions, and a lint
// worker that reaches its memory limit.  The server's peak memory is read from the kernel
// (VmHWM in /proc/<pid>/status).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ServerRequestError } from '../../../extension/client/errors';
import type { SplitFileLint } from '../../../server/datasetText/types';
import { ErrorCodes, LintSplitFileRequest, PingRequest } from '../../../server/rpc/protocol';
import { ensureBuilt, newClient } from './fixtures';

const MAX_DIAGNOSTICS = 10_000;
const linux = process.platform === 'linux';

/** The peak resident memory of process `pid` so far, in bytes. */
function peakRss(pid: number): number {
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  assert.ok(kb, `no VmHWM for ${pid}`);
  return Number(kb) * 1024;
}

function assertInLineOrder(lint: SplitFileLint): void {
  for (let i = 1; i < lint.diagnostics.length; i++) assert.ok(lint.diagnostics[i - 1].line <= lint.diagnostics[i].line, `diagnostic ${i} is out of line order`);
}

let dir = '';
let file = '';
before(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'al-lint-limits-'));
  file = join(dir, 'train.jsonl');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('split-file lints the server survives', () => {
  it('two million lines of {} give the first 10,000 problems and the count of the rest, in bounded memory, while pings are answered', { skip: !linux && 'reads /proc' }, async (t) => {
    const client = newClient(t);
    const one = await client.request(LintSplitFileRequest, { file, text: '{}' });
    const perLine = one.diagnostics.length;
    assert.ok(perLine >= 2, JSON.stringify(one.diagnostics));
    const { pid } = await client.request(PingRequest);

    const lines = 2_000_000;
    const settled: string[] = [];
    const lint = client.request(LintSplitFileRequest, { file, text: '{}\n'.repeat(lines) }, { timeoutMs: 0 }).finally(() => settled.push('lint'));
    assert.equal((await client.request(PingRequest)).pid, pid);
    settled.push('ping');
    const result = await lint;
    assert.deepEqual(settled, ['ping', 'lint']);

    assert.equal(result.diagnostics.length, MAX_DIAGNOSTICS);
    assert.equal(result.more, lines * perLine - MAX_DIAGNOSTICS);
    assert.equal(result.records.length, lines);
    assert.equal(result.diagnostics.at(-1)?.line, Math.floor((MAX_DIAGNOSTICS - 1) / perLine));
    assertInLineOrder(result);
    const peak = peakRss(pid);
    t.diagnostic(`server peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`);
    assert.ok(peak < 2 ** 30, `the server's peak RSS was ${(peak / 2 ** 20).toFixed(0)} MB`);
    assert.equal((await client.request(PingRequest)).pid, pid);
  });

  it('a record with 300,000 regions gets its first problems and the count of the rest', async (t) => {
    const client = newClient(t);
    const record = (regions: number) => JSON.stringify({ image: 'images/a.png', object: 'tile', defect: 'crack', width: 8, height: 8, regions: Array.from({ length: regions }, () => ({})) });
    const count = async (regions: number) => {
      const lint = await client.request(LintSplitFileRequest, { file, text: record(regions) });
      return lint.diagnostics.length + lint.more;
    };
    const [two, three] = [await count(2), await count(3)];
    const perRegion = three - two;
    assert.ok(perRegion >= 1);
    const regions = 300_000;
    const lint = await client.request(LintSplitFileRequest, { file, text: record(regions) }, { timeoutMs: 0 });
    assert.equal(lint.diagnostics.length, MAX_DIAGNOSTICS);
    assert.equal(lint.diagnostics.length + lint.more, two + (regions - 2) * perRegion);
    assert.ok(lint.diagnostics.every((d) => d.line === 0));
    assert.deepEqual(lint.records, [0]);
  });

  it('a lint worker that reaches its memory limit fails that lint alone; the next lint runs in a new worker', async (t) => {
    // 300,000 regions of one record take about 200 MB to check: four times what this worker may use.
    const client = newClient(t, { env: { ANOMALY_LENS_LINT_MEMORY_MB: '48' } });
    const { pid } = await client.request(PingRequest);
    const text = '{"image":"images/a.png"}';
    const small = await client.request(LintSplitFileRequest, { file, text });
    assert.ok(small.diagnostics.length > 0);
    const heavy = JSON.stringify({ image: 'images/a.png', object: 'tile', defect: 'crack', width: 8, height: 8, regions: Array.from({ length: 300_000 }, () => ({})) });
    await assert.rejects(client.request(LintSplitFileRequest, { file, text: heavy }, { timeoutMs: 0 }), (err: unknown) => {
      assert.ok(err instanceof ServerRequestError, String(err));
      assert.equal(err.code, ErrorCodes.UserError);
      assert.equal(err.file, file);
      assert.match(err.message, /needs more than the 48 MB of memory it may use \(ANOMALY_LENS_LINT_MEMORY_MB\)/);
      return true;
    });
    assert.equal((await client.request(PingRequest)).pid, pid);
    assert.deepEqual(await client.request(LintSplitFileRequest, { file, text }), small);
  });
});
