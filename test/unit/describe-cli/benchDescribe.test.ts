// `npm run bench:describe` runs end to end: a random-weight bundle of a named size built and
// exported by the trainer's code with /usr/bin/python3 into the given cache folder (reused by the
// next run), each model's warm describe timed per region on the CPU against the embedded tiny
// default model, and the CUDA provider's state said. The tiny size keeps it short here; the
// README's figures come from ViT-B/16 and ViT-L/14@336px.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../eval/colourFixtures';

const cache = mkdtempSync(join(tmpdir(), 'al-bench-describe-cache-'));
after(() => rmSync(cache, { recursive: true, force: true }));

function bench(): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync('npm', ['run', '--silent', 'bench:describe', '--', '--sizes', 'tiny', '--regions', '2', '--rounds', '1', '--cache', cache], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run bench:describe', () => {
  it('times describe per region for a random bundle of a size against the tiny default model, building the bundle once', () => {
    const first = bench();
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /graph optimisation "all"; CUDA provider: (installed|not installed \(.+\))$/m);
    assert.match(first.stdout, /^ {2}tiny \(embedded default\) +64 px +CPU +\d+\.\d ms\/region \(\d+\.\d\)/m);
    assert.match(first.stdout, /^ {2}tiny \(random weights\) +\d+ px +CPU +\d+\.\d ms\/region \(\d+\.\d\) +\d+x the tiny model.*\[built and exported in \d+ s\]/m);
    const bundles = readdirSync(cache).filter((name) => existsSync(join(cache, name, 'bundle.json')));
    assert.equal(bundles.length, 1, `one bundle in the cache: ${readdirSync(cache).join(', ')}`);
    assert.ok(existsSync(join(cache, bundles[0], 'image_encoder.onnx')));

    const second = bench();
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^ {2}tiny \(random weights\) .*\[cached\]$/m);
  });
});
