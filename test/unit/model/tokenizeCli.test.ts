import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLIP_MERGES, REPO_ROOT, readGolden } from './fixtures';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');

function cli(args: string[]) {
  assert.ok(existsSync(CLI), 'dist/cli.js exists (npm run build)');
  return spawnSync(process.execPath, [CLI, 'tokenize', ...args], { encoding: 'utf8' });
}

describe('anomaly-lens tokenize', () => {
  const golden = readGolden();

  it('prints the golden ids and input_ids as JSON lines', () => {
    const lines = golden.filter((line) => line.text !== '').slice(-12);
    const run = cli(['--vocab', CLIP_MERGES, '--json', ...lines.map((line) => line.text)]);
    assert.equal(run.status, 0, run.stderr);
    const out = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { text: string; ids: number[]; input_ids: number[] });
    assert.deepEqual(out, lines.map(({ text, ids, input_ids }) => ({ text, ids, input_ids })));
  });

  it('prints readable tokens and ids by default', () => {
    const run = cli(['--vocab', CLIP_MERGES, 'Crack in hazelnut']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /tokens: +crack<\/w> in<\/w> hazelnut<\/w>/);
    assert.match(run.stdout, /ids: +10334 530 35816\n/);
    assert.match(run.stdout, /input_ids: +49406 10334 530 35816 49407 \(\+72 × 0\)/);
  });

  it('warns about cut texts and honours --context', () => {
    const run = cli(['--vocab', CLIP_MERGES, '--json', '--context', '4', 'crack in hazelnut']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout).input_ids, [49406, 10334, 530, 49407]);
    assert.match(run.stderr, /warning: "crack in hazelnut" has 3 tokens, cut to fit a context of 4/);
  });

  it('fails with exit 2 naming a missing vocabulary file', () => {
    const run = cli(['--vocab', '/nonexistent/merges.txt.gz', 'x']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /\/nonexistent\/merges\.txt\.gz: cannot read the tokenizer merges/);
  });
});
