// Fault injection: `build` is killed (SIGKILL) at every stage — while images are processed,
// before the switch, with the manifests staged, after the COMMIT note, between the renames,
// before and after the prune — and at random moments, in a fresh build, a rebuild with the same
// parameters and a rebuild with other parameters.  After each kill the folder must hold the old
// dataset or the new one (or a committed switch that the next reader finishes into the new
// one), validate as such, and the next build must complete and validate.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { cliPath, ensureBuilt, repoRoot, runCli, startCli } from './cli';
import { withTempDir } from './fixtures';
import { writeBlobSource } from './blobSource';

before(ensureBuilt);

const MANIFESTS = ['dataset.json', 'train.jsonl', 'val.jsonl', 'test.jsonl'];
const NAMED_POINTS = ['processed', 'before-switch', 'staged', 'committed', 'switch:3', 'switched', 'pruned'];

/** The manifests' text without what legitimately differs between two equal builds (time, absolute source root). */
function snapshot(out: string): string {
  return MANIFESTS.map((f) => (existsSync(join(out, f)) ? readFileSync(join(out, f), 'utf8') : '-'))
    .map((t) => t.replace(/"createdAt": "[^"]*"/, '').replace(/"root": "[^"]*"/g, ''))
    .join('\n@@\n');
}

const NONE = MANIFESTS.map(() => '-').join('\n@@\n');

function killAt(args: string[], point: string) {
  return spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, CI: '1', ANOMALY_LENS_FAULT_POINT: point } });
}

async function killAfter(args: string[], ms: number): Promise<void> {
  const child = startCli(args);
  const exited = once(child, 'exit');
  await new Promise((r) => setTimeout(r, ms));
  child.kill('SIGKILL');
  await exited;
}

/** A small deterministic generator for the random kill times. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

interface Scenario {
  name: string;
  /** Brings the output folder to the state before the build under test ("old"). */
  reset: (out: string) => void;
  args: string[];
  /** Whether the build processes images (a same-parameter rebuild takes them all from its cache). */
  processes: boolean;
}

test('build killed at 26 points across a fresh build, a same-parameter rebuild and an other-parameter rebuild: old or new, never a mix', { timeout: 600_000 }, async () => {
  await withTempDir('faults', async (dir) => {
    const src = join(dir, 'src');
    await writeBlobSource(src, 'crack', 8);
    const out = join(dir, 'out');
    const build = (extra: string[] = []) => ['build', src, '--out', out, '--workers', '1', ...extra];
    const complete = (args: string[]) => {
      const r = runCli(args);
      assert.equal(r.code, 0, r.stderr);
    };
    const scenarios: Scenario[] = [
      { name: 'fresh build', reset: () => rmSync(out, { recursive: true, force: true }), args: build(), processes: true },
      { name: 'rebuild, same parameters', reset: () => complete(build()), args: build(), processes: false },
      { name: 'rebuild, other parameters', reset: () => complete(build()), args: build(['--eps', '20']), processes: true },
    ];
    const random = lcg(7);
    let kills = 0;
    for (const scenario of scenarios) {
      const reference = join(dir, `reference-${kills}`);
      complete(['build', src, '--out', reference, '--workers', '1', ...scenario.args.slice(4)]);
      const next = snapshot(reference);
      const points = [...(scenario.processes ? ['image:2'] : []), ...NAMED_POINTS, `random:${Math.round(150 + random() * 600)}`];
      for (const point of points) {
        scenario.reset(out);
        const old = existsSync(out) ? snapshot(out) : NONE;
        if (point.startsWith('random:')) await killAfter(scenario.args, Number(point.slice('random:'.length)));
        else assert.equal(killAt(scenario.args, point).signal, 'SIGKILL', `${scenario.name}: the build reached ${point}`);
        kills++;
        const where = `${scenario.name}, killed at ${point}`;

        const committed = existsSync(join(out, '.anomaly-lens', 'staging', 'COMMIT'));
        const state = snapshot(out);
        if (!committed) assert.ok(state === old || state === next, `${where}: the folder holds the old or the new dataset`);
        const validated = runCli(['validate', out]);
        const after = snapshot(out);
        if (committed) assert.equal(after, next, `${where}: the committed switch is finished into the new dataset`);
        if (after === NONE) assert.notEqual(validated.code, 0, `${where}: no dataset yet`);
        else assert.equal(validated.code, 0, `${where}: ${validated.stdout}`);

        complete(scenario.args);
        assert.equal(snapshot(out), next, `${where}: the next run gives the new dataset`);
        const valid = runCli(['validate', out]);
        assert.equal(valid.code, 0, `${where}: ${valid.stdout}`);
        assert.ok(!existsSync(join(out, '.anomaly-lens', 'lock')), `${where}: the lock is released`);
      }
    }
    assert.ok(kills >= 20);
  });
});
