// End to end, `build --describe llm` against real local chat-completions servers: one that
// echoes the key it is sent, one that never answers, one that asks to come back in an hour;
// and an endpoint URL with credentials in it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetManifest } from '../../../server/dataset/format';
import { completion, errorBody, startChatServer, type ChatServer, type RecordedRequest, type Reply } from './chatServer';
import { cliPath, ensureBuilt, repoRoot, runCli } from '../dataset/cli';
import { SAMPLE, tempDir } from './fixtures';

const KEY = 'sk-build-echo-0123456789abcdef';
/** A second key in the build's environment, not the one in use. */
const SPARE_KEY = 'sk-spare-key-9876543210';
const CLASSES = ['otx_hazelnut/colour', 'tire/contamination', 'tire/cut', 'tire/hole'];

before(ensureBuilt);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** The CLI, run asynchronously: the chat server lives in this process. */
function build(args: string[], env: Record<string, string>): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'build', SAMPLE, '--workers', '1', ...args], { cwd: repoRoot, env: { ...process.env, CI: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

async function withServer(reply: (request: RecordedRequest) => Reply, body: (server: ChatServer, dir: string) => Promise<void>): Promise<void> {
  const server = await startChatServer((request) => reply(request));
  const tmp = tempDir('build-llm');
  try {
    await body(server, tmp.dir);
  } finally {
    await server.close();
    tmp.remove();
  }
}

/** Every file below `dir`, hidden ones and caches included. */
function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? allFiles(full) : [full];
  });
}

function descriptionKinds(out: string): string[] {
  const manifest = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as DatasetManifest;
  return manifest.descriptions.map((d) => `${d.object}/${d.defect} ${d.provenance.kind}`).sort();
}

test('build --describe llm against an endpoint that echoes the Authorization header writes and prints no key', async () => {
  const reply = (request: RecordedRequest): Reply => {
    const auth = String(request.headers.authorization);
    const defect = /Anomaly class name: ([a-z ]+)/.exec(JSON.stringify(request.body.messages))?.[1] ?? '';
    if (defect === 'hole') return { status: 200, body: completion(auth) };
    if (defect === 'cut') return { status: 500, body: errorBody(`failed for ${auth} (spare key ${SPARE_KEY})`) };
    return { status: 200, body: completion(`${defect} on the part\nAuthorization: ${auth}, spare key ${SPARE_KEY}`) };
  };
  await withServer(reply, async (server, dir) => {
    const out = join(dir, 'ds');
    const env = { ANOMALY_LENS_LLM_API_KEY: KEY, OPENAI_API_KEY: SPARE_KEY };
    const args = ['--out', out, '--describe', 'llm', '--llm-base-url', server.baseURL, '--llm-retries', '0'];
    const runs = [await build(args, env), await build([...args, '--json'], env)];
    assert.ok(server.requests.length >= 4 && server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`), 'the server got the key');

    for (const run of runs) {
      assert.equal(run.code, 1, `classes without a usable answer are errors:\n${run.stderr}`);
      for (const text of [run.stdout, run.stderr]) assert.ok(!text.includes(KEY) && !text.includes(SPARE_KEY), text);
    }
    assert.match(runs[0].stderr, /the LLM answer for otx_hazelnut\/colour held an API key or credential; it was removed/);
    assert.match(runs[0].stderr, /cannot describe tire\/cut: .*500 failed for Bearer \[redacted\] \(spare key \[redacted\]\)/);

    const files = allFiles(out);
    assert.ok(files.some((f) => f.endsWith('dataset.json')) && files.some((f) => f.endsWith('test.jsonl')));
    assert.ok(files.some((f) => f.includes(join('.cache', 'llm'))), 'the answers were cached');
    for (const file of files) {
      const bytes = readFileSync(file);
      assert.ok(!bytes.includes(KEY) && !bytes.includes(SPARE_KEY), `${file} holds a key`);
    }
    assert.deepEqual(descriptionKinds(out), ['otx_hazelnut/colour llm', 'tire/contamination llm', 'tire/cut builtin', 'tire/hole builtin']);
    assert.equal(runCli(['validate', out]).code, 0);
  });
});

test('a server that never answers: --llm-deadline ends the step, built-in descriptions, one warning per class', async () => {
  await withServer(
    () => 'hang',
    async (server, dir) => {
      const out = join(dir, 'ds');
      const args = ['--out', out, '--describe', 'llm', '--llm-base-url', server.baseURL, '--llm-timeout', '60', '--llm-deadline', '2', '--json'];
      const run = await build(args, { ANOMALY_LENS_LLM_API_KEY: KEY });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.seconds < 15, `took ${run.seconds} s`);
      const result = JSON.parse(run.stdout) as { problems: { message: string; severity: string }[] };
      const warnings = result.problems.filter((p) => /deadline/.test(p.message));
      assert.deepEqual(warnings.map((w) => w.severity), CLASSES.map(() => 'warning'));
      assert.deepEqual(warnings.map((w) => /cannot describe (\S+):/.exec(w.message)?.[1]).sort(), CLASSES);
      for (const w of warnings) assert.match(w.message, /within the 2 s deadline for descriptions \(--llm-deadline\); using the built-in description$/);
      assert.deepEqual(descriptionKinds(out), CLASSES.map((c) => `${c} builtin`));
    },
  );
});

test('429 with Retry-After: 3600: the build does not wait, built-in descriptions, one warning per class', async () => {
  await withServer(
    () => ({ status: 429, headers: { 'retry-after': '3600' }, body: errorBody('Rate limit reached', 'requests') }),
    async (server, dir) => {
      const out = join(dir, 'ds');
      const run = await build(['--out', out, '--describe', 'llm', '--llm-base-url', server.baseURL], { ANOMALY_LENS_LLM_API_KEY: KEY });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.seconds < 15, `took ${run.seconds} s`);
      assert.equal(server.requests.length, CLASSES.length, 'one attempt per class');
      const warnings = run.stderr.split('\n').filter((l) => /Retry-After/.test(l));
      assert.equal(warnings.length, CLASSES.length, run.stderr);
      for (const w of warnings) assert.match(w, /^warning: .*cannot describe .*429 Rate limit reached; the server asks to wait 3600 s \(Retry-After\)/);
      assert.deepEqual(descriptionKinds(out), CLASSES.map((c) => `${c} builtin`));
    },
  );
});

test('an endpoint URL with credentials is a user error (exit 2) that does not print them', async () => {
  const tmp = tempDir('build-llm-url');
  try {
    const run = await build(['--out', join(tmp.dir, 'ds'), '--describe', 'llm', '--llm-base-url', 'https://alice:hunter2-pass@llm.example.com/v1'], {
      ANOMALY_LENS_LLM_API_KEY: KEY,
    });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^anomaly-lens: .*the LLM base URL must not hold credentials/);
    assert.ok(!run.stderr.includes('alice') && !run.stderr.includes('hunter2'), run.stderr);
  } finally {
    tmp.remove();
  }
});
