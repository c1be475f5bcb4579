import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './fixtures';

const root = mkdtempSync(join(tmpdir(), 'al-telemetry-'));
after(() => rmSync(root, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

const LOAD = `
const { Predictor } = require(${JSON.stringify(join(REPO_ROOT, 'server', 'model', 'predictor.ts'))});
Predictor.open(process.argv[1], { executionProviders: ['cpu'], intraOpNumThreads: 1 })
  .then((p) => p.embedTexts(['a scratch']).then(() => p.close()))
  .then(() => process.stdout.write('loaded'));
`;

it('loading a bundle writes nothing under the home folder (onnxruntime telemetry is off)', async () => {
  const home = join(root, 'home');
  mkdirSync(home);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.XDG_CACHE_HOME;
  delete env.ORT_DISABLE_TELEMETRY;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', LOAD, join(REPO_ROOT, 'media', 'default-model')], { env, cwd: REPO_ROOT });
  assert.equal(stdout, 'loaded');
  assert.deepEqual(filesUnder(home), []);
});
