import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../../server/util/errors';
import { redactURL, resolveLlmConfig } from '../../../server/describe/llm/config';
import { scrubSecrets } from '../../../server/describe/llm/secrets';
import { backoffMs, retryAfterMs } from '../../../server/describe/llm/retry';
import { sanitizeAnswer } from '../../../server/describe/llm/sanitize';

test('settings: options over ANOMALY_LENS_* over OPENAI_* variables; defaults', () => {
  const env = { OPENAI_API_KEY: 'sk-a', OPENAI_BASE_URL: 'http://openai.local/v1', ANOMALY_LENS_LLM_BASE_URL: 'http://lens.local/v1' };
  const fromEnv = resolveLlmConfig({ env });
  assert.equal(fromEnv.baseURL, 'http://lens.local/v1');
  assert.equal(fromEnv.model, 'gpt-4o');
  assert.equal(fromEnv.provider, 'openai');
  assert.equal(fromEnv.apiKey, 'sk-a');
  assert.equal(fromEnv.concurrency, 4);
  const fromOptions = resolveLlmConfig({ env: { ...env, ANOMALY_LENS_LLM_API_KEY: 'sk-b' }, baseURL: 'http://option.local/v1', model: 'm' });
  assert.equal(fromOptions.baseURL, 'http://option.local/v1');
  assert.equal(fromOptions.apiKey, 'sk-b');
  assert.equal(fromOptions.model, 'm');
  assert.equal(resolveLlmConfig({ env: { OPENAI_API_KEY: 'k' } }).baseURL, undefined);
});

test('settings: Azure by endpoint host, with its own key variable', () => {
  const config = resolveLlmConfig({ env: { AZURE_OPENAI_ENDPOINT: 'https://res.openai.azure.com', AZURE_OPENAI_API_KEY: 'az' } });
  assert.equal(config.provider, 'azure');
  assert.equal(config.apiKey, 'az');
  assert.equal(config.apiVersion, '2024-10-21');
  assert.throws(() => resolveLlmConfig({ provider: 'azure', env: { AZURE_OPENAI_API_KEY: 'az' } }), /AZURE_OPENAI_ENDPOINT/);
  assert.throws(() => resolveLlmConfig({ env: { ANOMALY_LENS_LLM_PROVIDER: 'bedrock', OPENAI_API_KEY: 'k' } }), /unknown LLM provider "bedrock"/);
});

test('settings: bad values are UserErrors that do not echo credentials', () => {
  assert.throws(() => resolveLlmConfig({ baseURL: 'not a url', env: { OPENAI_API_KEY: 'k' } }), (err: unknown) => err instanceof UserError && /not a URL/.test(err.message));
  assert.throws(() => resolveLlmConfig({ baseURL: 'ftp://host/v1', env: { OPENAI_API_KEY: 'k' } }), /http\(s\) URL/);
  assert.throws(() => resolveLlmConfig({ concurrency: 0, env: { OPENAI_API_KEY: 'k' } }), /concurrency must be a number >= 1/);
  assert.throws(() => resolveLlmConfig({ temperature: 3, env: { OPENAI_API_KEY: 'k' } }), /temperature/);
});

test('URLs and texts lose their credentials', () => {
  assert.equal(redactURL('https://user:pass@llm.example.com/v1?api-key=secret#x'), 'https://llm.example.com/v1');
  assert.equal(redactURL('http://127.0.0.1:8000/v1/'), 'http://127.0.0.1:8000/v1');
  assert.equal(scrubSecrets('key sk-12345 and Bearer sk-other-1', ['sk-12345']), 'key [redacted] and Bearer [redacted]');
});

test('Retry-After in seconds, as a date, or in milliseconds', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(retryAfterMs(new Headers({ 'retry-after': '3' }), now), 3000);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now), 5000);
  assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now), 250);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now), undefined);
  assert.equal(retryAfterMs(new Headers(), now), undefined);
});

test('backoff doubles with jitter, never below Retry-After, never above the cap', () => {
  const policy = { maxRetries: 5, baseMs: 100, maxMs: 1000 };
  assert.equal(backoffMs(0, policy, undefined, () => 0), 75);
  assert.equal(backoffMs(0, policy, undefined, () => 1), 125);
  assert.equal(backoffMs(2, policy, undefined, () => 0.5), 400);
  assert.equal(backoffMs(10, policy, undefined, () => 0.5), 1000);
  assert.equal(backoffMs(0, policy, 700, () => 0.5), 700);
  assert.equal(backoffMs(0, policy, 5000, () => 0.5), 1000);
});

test('answers: first line, no labels, quotes, markdown or final period', () => {
  assert.equal(sanitizeAnswer('"Crack in hazelnut."'), 'crack in hazelnut');
  assert.equal(sanitizeAnswer('\n\nOutput: “scratch on metal nut”\nmore text'), 'scratch on metal nut');
  assert.equal(sanitizeAnswer('- **bent lead of transistor**'), 'bent lead of transistor');
  assert.equal(sanitizeAnswer('```\ncut in carpet\n```'), 'cut in carpet');
  assert.equal(sanitizeAnswer('PCB with missing component'), 'PCB with missing component');
  assert.equal(sanitizeAnswer(' \n "" \n'), '');
});
