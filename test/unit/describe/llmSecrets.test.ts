// An endpoint that echoes the request (Authorization header included) must not get the key
// into descriptions, the answer cache, warnings or errors; nor may a URL carry credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../server/util/errors';
import { createDescriber } from '../../../server/describe';
import { resolveLlmConfig } from '../../../server/describe/llm/config';
import { collectSecrets, scrubSecrets } from '../../../server/describe/llm/secrets';
import { completion, errorBody, startChatServer, type ChatServer, type RecordedRequest, type Reply } from './chatServer';
import { tempDir } from './fixtures';

const KEY = 'sk-echo-0123456789abcdef-secret';
/** Another key the process holds, not the one in use. */
const AZURE_KEY = 'az-other-9876543210-secret';

function defectOf(request: RecordedRequest): string {
  const text = JSON.stringify(request.body.messages);
  return /Anomaly class name: ([a-z ]+)/.exec(text)?.[1] ?? '';
}

/** Echoes the request's credentials in as many ways as an endpoint might. */
function echo(request: RecordedRequest): Reply {
  const auth = String(request.headers.authorization);
  switch (defectOf(request)) {
    case 'crack':
      return { status: 200, body: completion(`crack in hazelnut\n(request by ${auth}; other key ${AZURE_KEY})`) };
    case 'hole':
      return { status: 200, body: completion(auth) };
    case 'scratch':
      return { status: 200, body: completion(`scratch on hazelnut, key ${auth.slice('Bearer '.length)}`) };
    default:
      return { status: 500, body: errorBody(`cannot serve ${JSON.stringify(request.headers)}`) };
  }
}

async function withEchoServer(body: (server: ChatServer) => Promise<void>): Promise<void> {
  const server = await startChatServer((request) => echo(request));
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

test('an endpoint echoing the Authorization header: no key in descriptions, cache, warnings or errors', async () => {
  const tmp = tempDir('llm-echo');
  try {
    await withEchoServer(async (server) => {
      const cacheDir = join(tmp.dir, 'cache');
      const llm = { baseURL: server.baseURL, model: 'm', retryBaseMs: 1, maxRetries: 0, cacheDir, env: { ANOMALY_LENS_LLM_API_KEY: KEY, AZURE_OPENAI_API_KEY: AZURE_KEY } };
      const describer = createDescriber({ mode: 'llm', llm });
      const classes = ['crack', 'hole', 'scratch', 'cut'].map((defect) => ({ object: 'hazelnut', defect }));
      const { entries, problems } = await describer.describeAll(classes);
      assert.equal(server.requests[0].headers.authorization, `Bearer ${KEY}`, 'the server did get the key');

      const byDefect = new Map(entries.map((e) => [e.defect, e]));
      assert.equal(byDefect.get('crack')?.text, 'crack in hazelnut', 'a good first line is kept');
      assert.equal(byDefect.get('crack')?.provenance.kind, 'llm');
      assert.equal(byDefect.get('hole')?.provenance.kind, 'builtin', 'an answer that is only the echoed key is not a description');
      assert.equal(byDefect.get('scratch')?.provenance.kind, 'builtin');
      assert.equal(byDefect.get('cut')?.provenance.kind, 'builtin');

      const shown = JSON.stringify({ entries, problems, all: describer.problems() });
      assert.ok(!shown.includes(KEY) && !shown.includes(AZURE_KEY), shown);
      assert.match(shown, /held an API key or credential; it was removed/);
      assert.match(shown, /cannot describe hazelnut\/cut: .*500/);

      const files = readdirSync(cacheDir);
      assert.equal(files.length, 1, 'only the usable answer is cached');
      const cached = readFileSync(join(cacheDir, files[0]), 'utf8');
      assert.ok(!cached.includes(KEY) && !cached.includes(AZURE_KEY), cached);
      assert.match(JSON.parse(cached).answer, /^crack in hazelnut\n\(request by Bearer \[redacted\]; other key \[redacted\]\)$/);

      // A cache file written with a raw key (by an earlier version) is cleaned when read.
      writeFileSync(join(cacheDir, files[0]), cached.replace('Bearer [redacted]', `Bearer ${KEY}`));
      const again = await createDescriber({ mode: 'llm', llm }).describe('hazelnut', 'crack');
      assert.equal(again.text, 'crack in hazelnut');
      assert.ok(!readFileSync(join(cacheDir, files[0]), 'utf8').includes(KEY));
    });
  } finally {
    tmp.remove();
  }
});

test('secrets: every key variable of the process, longest first; placeholders are not secrets', () => {
  const secrets = collectSecrets([{ ANOMALY_LENS_LLM_API_KEY: 'short', OPENAI_API_KEY: ' sk-openai-12345 ' }, { AZURE_OPENAI_API_KEY: 'az-0123456789-long' }], ['given-key-1234']);
  assert.deepEqual(secrets, ['az-0123456789-long', 'sk-openai-12345', 'given-key-1234']);
  assert.equal(
    scrubSecrets('a sk-openai-12345 b "Bearer tok_abcdefgh" c api-key: zz-yy-xx-ww d sk-openai-12345%2F', secrets),
    'a [redacted] b "Bearer [redacted]" c api-key: [redacted] d [redacted]%2F',
  );
  // Ordinary words are left alone: "bearer" before a word, a short placeholder key.
  assert.equal(scrubSecrets('short crack on the bearer plate', secrets), 'short crack on the bearer plate');
  const config = resolveLlmConfig({ env: { ANOMALY_LENS_LLM_API_KEY: 'sk-in-use-123456', OPENAI_API_KEY: 'sk-spare-1234567' } });
  assert.ok(config.secrets.includes('sk-in-use-123456') && config.secrets.includes('sk-spare-1234567'));
});

test('a base URL with credentials is refused without showing them', () => {
  const env = { ANOMALY_LENS_LLM_API_KEY: KEY };
  for (const [options, source] of [
    [{ baseURL: 'https://alice:hunter2-pass@llm.example.com/v1', env }, 'the LLM base URL'],
    [{ env: { ...env, ANOMALY_LENS_LLM_BASE_URL: 'http://alice:hunter2-pass@127.0.0.1:8000/v1' } }, 'ANOMALY_LENS_LLM_BASE_URL'],
    [{ env: { ...env, OPENAI_BASE_URL: 'http://alice@127.0.0.1:8000/v1' } }, 'OPENAI_BASE_URL'],
  ] as const) {
    assert.throws(
      () => createDescriber({ mode: 'llm', llm: options }),
      (err: unknown) => {
        assert.ok(err instanceof UserError);
        assert.ok(err.message.startsWith(`${source} must not hold credentials`), err.message);
        assert.match(err.message, /ANOMALY_LENS_LLM_API_KEY/);
        assert.ok(!err.message.includes('alice') && !err.message.includes('hunter2'), err.message);
        return true;
      },
    );
  }
});
