// End to end: descriptions from an OpenAI-compatible server (a real local HTTP server) and
// from a curated overrides file, one per region class, cached across rebuilds.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetManifest, ImageRecord } from '../../../server/dataset/format';
import { completion, startChatServer } from '../describe/chatServer';
import { cliPath, ensureBuilt, readJsonl, repoRoot, runCli, sharedDir, type BuildJson } from './cli';
import { withTempDir } from './fixtures';

const sample = join(sharedDir, 'data', 'mvtec-sample');

before(ensureBuilt);

/** The CLI must run asynchronously here: the chat server lives in this process. */
function buildAsync(args: string[], env: Record<string, string>): Promise<{ code: number | null; result: BuildJson; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'build', ...args, '--json'], { cwd: repoRoot, env: { ...process.env, CI: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, result: JSON.parse(stdout) as BuildJson, stderr });
      } catch {
        reject(new Error(`no JSON (exit ${code}): ${stdout}\n${stderr}`));
      }
    });
  });
}

test('--describe llm asks once per region class with an example image, caches the answers, and curated overrides win', async () => {
  const server = await startChatServer((_, i) => ({ status: 200, body: completion(`anomaly number ${i + 1} of the test server`) }));
  try {
    await withTempDir('llm', async (dir) => {
      const out = join(dir, 'ds');
      const env = { ANOMALY_LENS_LLM_API_KEY: 'test-key' };
      const args = [sample, '--out', out, '--describe', 'llm', '--llm-base-url', server.baseURL, '--llm-model', 'test-model', '--workers', '1'];
      const first = await buildAsync(args, env);
      assert.equal(first.code, 0, first.stderr);

      const manifest = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as DatasetManifest;
      const classes = manifest.descriptions.map((d) => `${d.object}/${d.defect}`).sort();
      assert.deepEqual(classes, ['otx_hazelnut/colour', 'tire/contamination', 'tire/cut', 'tire/hole']);
      assert.equal(server.requests.length, 4, 'one request per region class');
      for (const request of server.requests) {
        const parts = request.body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []));
        assert.ok(parts.some((p) => p.type === 'image_url'), 'the request shows an example image');
      }
      for (const d of manifest.descriptions) {
        assert.match(d.text, /^anomaly number \d of the test server$/);
        assert.equal(d.provenance.kind, 'llm');
      }
      const texts = new Map(manifest.descriptions.map((d) => [`${d.object}/${d.defect}`, d.text]));
      for (const record of readJsonl<ImageRecord>(join(out, 'test.jsonl'))) {
        for (const region of record.regions) assert.equal(region.description, texts.get(`${record.object}/${region.defect}`));
      }

      // Rebuild with a curated override for one class: no new LLM request, no image decoded.
      const overrides = join(dir, 'overrides.json');
      writeFileSync(overrides, JSON.stringify({ 'tire/cut': 'a cut in the tire tread' }));
      const second = await buildAsync([...args, '--overrides', overrides], env);
      assert.equal(second.code, 0, second.stderr);
      assert.equal(server.requests.length, 4, 'answers come from the cache');
      assert.equal(second.result.images.cached, 25);
      const after = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as DatasetManifest;
      const cut = after.descriptions.find((d) => d.object === 'tire' && d.defect === 'cut');
      assert.equal(cut?.text, 'a cut in the tire tread');
      assert.equal(cut?.provenance.kind, 'curated');
      assert.equal(runCli(['validate', out]).code, 0);
    });
  } finally {
    await server.close();
  }
});
