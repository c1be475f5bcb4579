// Time limits of LLM descriptions: per request, retries, a capped Retry-After and one deadline
// for all classes, after which the built-in descriptions are used with a warning per class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../../server/util/errors';
import { createDescriber } from '../../../server/describe';
import { resolveLlmConfig } from '../../../server/describe/llm/config';
import { completion, errorBody, type Reply, withChatServer } from './chatServer';

const KEY = 'sk-limits-0123456789';
const CLASSES = ['crack', 'cut', 'hole', 'print', 'scratch'].map((defect) => ({ object: 'hazelnut', defect }));

test('a server that never answers: the deadline ends the step, each class gets its built-in description and a warning', async () => {
  await withChatServer(
    () => 'hang',
    async (server) => {
      const describer = createDescriber({
        mode: 'llm',
        llm: { baseURL: server.baseURL, concurrency: 2, timeoutMs: 60_000, deadlineMs: 600, env: { ANOMALY_LENS_LLM_API_KEY: KEY } },
      });
      const started = Date.now();
      const { entries, problems } = await describer.describeAll(CLASSES);
      const seconds = (Date.now() - started) / 1000;
      assert.ok(seconds < 3, `took ${seconds} s`);
      assert.ok(server.requests.length <= 2, 'classes still queued at the deadline are not sent');
      assert.deepEqual(
        entries.map((e) => [e.defect, e.provenance.kind]),
        CLASSES.map((c) => [c.defect, 'builtin']),
      );
      assert.equal(problems.length, CLASSES.length);
      for (const [i, p] of problems.entries()) {
        assert.equal(p.severity, 'warning');
        assert.match(p.message, new RegExp(`^cannot describe hazelnut/${CLASSES[i].defect}: no answer from the LLM at .* within the 0\\.6 s deadline for descriptions \\(--llm-deadline\\); using the built-in description$`));
      }
    },
  );
});

test('429 with Retry-After: 3600 is not waited for: a warning at once, the built-in description', async () => {
  await withChatServer(
    () => ({ status: 429, headers: { 'retry-after': '3600' }, body: errorBody('Rate limit reached', 'requests') }),
    async (server) => {
      const describer = createDescriber({ mode: 'llm', llm: { baseURL: server.baseURL, env: { ANOMALY_LENS_LLM_API_KEY: KEY } } });
      const started = Date.now();
      const { entries, problems } = await describer.describeAll(CLASSES.slice(0, 2));
      assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
      assert.equal(server.requests.length, 2, 'one attempt per class');
      assert.ok(entries.every((e) => e.provenance.kind === 'builtin'));
      assert.equal(problems.length, 2);
      for (const p of problems) {
        assert.equal(p.severity, 'warning');
        assert.match(p.message, /was not retried: 429 Rate limit reached; the server asks to wait 3600 s \(Retry-After\), more than the 30 s a retry may wait/);
      }
    },
  );
});

test('a Retry-After within the cap is waited for; the cap never exceeds the request timeout', async () => {
  await withChatServer(
    (i) => (i === 0 ? { status: 429, headers: { 'retry-after': '0.3' }, body: errorBody('slow down') } : { status: 200, body: completion('crack in hazelnut') }),
    async (server) => {
      const entry = await createDescriber({ mode: 'llm', llm: { baseURL: server.baseURL, env: { ANOMALY_LENS_LLM_API_KEY: KEY } } }).describe('hazelnut', 'crack');
      assert.equal(entry.text, 'crack in hazelnut');
      assert.ok(server.requests[1].at - server.requests[0].at >= 250);
    },
  );
  assert.equal(resolveLlmConfig({ env: { OPENAI_API_KEY: 'k' } }).retryMaxMs, 30_000);
  assert.equal(resolveLlmConfig({ timeoutMs: 5000, env: { OPENAI_API_KEY: 'k' } }).retryMaxMs, 5000);
});

test('--llm-timeout and --llm-retries bound a server that never answers', async () => {
  await withChatServer(
    () => 'hang',
    async (server) => {
      const describer = createDescriber({
        mode: 'llm',
        llm: { baseURL: server.baseURL, timeoutMs: 200, maxRetries: 1, retryBaseMs: 1, env: { ANOMALY_LENS_LLM_API_KEY: KEY } },
      });
      const started = Date.now();
      const { problems } = await describer.describeAll(CLASSES.slice(0, 1));
      assert.ok(Date.now() - started < 2000);
      assert.equal(server.requests.length, 2);
      assert.match(problems[0].message, /failed after 2 attempts: .*timed out/i);
    },
  );
});

test('limits from the environment, options first; bad values are UserErrors naming flag and variable', () => {
  const env = { OPENAI_API_KEY: 'k', ANOMALY_LENS_LLM_TIMEOUT: '12.5', ANOMALY_LENS_LLM_RETRIES: '2', ANOMALY_LENS_LLM_DEADLINE: '90' };
  const fromEnv = resolveLlmConfig({ env });
  assert.deepEqual([fromEnv.timeoutMs, fromEnv.maxRetries, fromEnv.deadlineMs], [12_500, 2, 90_000]);
  const fromOptions = resolveLlmConfig({ env, timeoutMs: 3000, maxRetries: 0, deadlineMs: 10_000 });
  assert.deepEqual([fromOptions.timeoutMs, fromOptions.maxRetries, fromOptions.deadlineMs], [3000, 0, 10_000]);
  const defaults = resolveLlmConfig({ env: { OPENAI_API_KEY: 'k' } });
  assert.deepEqual([defaults.timeoutMs, defaults.maxRetries, defaults.deadlineMs], [60_000, 5, 600_000]);

  const bad: [Record<string, string>, RegExp][] = [
    [{ ANOMALY_LENS_LLM_TIMEOUT: 'soon' }, /--llm-timeout, ANOMALY_LENS_LLM_TIMEOUT, in seconds\) must be a number from .* got "soon"/],
    [{ ANOMALY_LENS_LLM_TIMEOUT: '0' }, /--llm-timeout/],
    [{ ANOMALY_LENS_LLM_RETRIES: '1.5' }, /--llm-retries, ANOMALY_LENS_LLM_RETRIES\) must be a whole number from 0 to 20, got "1.5"/],
    [{ ANOMALY_LENS_LLM_RETRIES: '-1' }, /--llm-retries/],
    [{ ANOMALY_LENS_LLM_DEADLINE: '-5' }, /--llm-deadline, ANOMALY_LENS_LLM_DEADLINE, in seconds\) must be/],
  ];
  for (const [vars, message] of bad) {
    assert.throws(() => resolveLlmConfig({ env: { OPENAI_API_KEY: 'k', ...vars } }), (err: unknown) => err instanceof UserError && message.test(err.message));
  }
  assert.throws(() => resolveLlmConfig({ env: { OPENAI_API_KEY: 'k' }, maxRetries: 100 }), /must be a whole number from 0 to 20, got 100/);
});
