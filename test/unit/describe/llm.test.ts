import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { UserError } from '../../../server/util/errors';
import { createDescriber, promptHash, type DescriberOptions, type LlmOptions } from '../../../server/describe';
import { type ChatServer, completion, errorBody, imageURLs, promptText, type Reply, withChatServer } from './chatServer';
import { SAMPLE, tempDir } from './fixtures';

const KEY = 'sk-test-0123456789abcdef-secret';
const HAZELNUT = join(SAMPLE, 'otx_hazelnut', 'test', 'colour', '000.jpg');
const TIRE = join(SAMPLE, 'tire', 'test', 'cut', '000.png');

/** Options for the describer against `server`, with fast retries; the key comes from a private env. */
function llmOptions(server: ChatServer, extra: Partial<LlmOptions> = {}): DescriberOptions {
  return {
    mode: 'llm',
    llm: { baseURL: server.baseURL, model: 'test-model', retryBaseMs: 1, retryMaxMs: 5000, env: { ANOMALY_LENS_LLM_API_KEY: KEY }, ...extra },
  };
}

const ok = (text: string): Reply => ({ status: 200, body: completion(text) });

test('the request carries the paper prompt with object and class, the example image, the model and the key', async () => {
  await withChatServer(
    () => ok('"Colour stain on the hazelnut."'),
    async (server) => {
      const describer = createDescriber(llmOptions(server));
      const entry = await describer.describe('otx_hazelnut', 'colour', HAZELNUT);
      assert.equal(entry.text, 'colour stain on the hazelnut');
      assert.deepEqual(entry.provenance, { kind: 'llm', model: 'test-model', promptHash: promptHash(true), baseURL: server.baseURL });
      assert.match(promptHash(true), /^[0-9a-f]{16}$/);

      assert.equal(server.requests.length, 1);
      const [request] = server.requests;
      assert.equal(request.method, 'POST');
      assert.equal(request.url, '/v1/chat/completions');
      assert.equal(request.headers.authorization, `Bearer ${KEY}`);
      assert.equal(request.body.model, 'test-model');
      const text = promptText(request.body);
      assert.match(text, /Object name: hazelnut\nAnomaly class name: color\b/);
      assert.match(text, /You are given an image along with an object name and an anomaly class name\./);
      assert.match(text, /Output:/);
      const images = imageURLs(request.body);
      assert.equal(images.length, 1);
      // A 512x512 JPEG fits and goes as it is.
      assert.ok(images[0].startsWith('data:image/jpeg;base64,'));
      assert.deepEqual(Buffer.from(images[0].split(',')[1], 'base64'), readFileSync(HAZELNUT));
    },
  );
});

test('a large example image is scaled down to fit 512 pixels', async () => {
  await withChatServer(
    () => ok('cut in the tire'),
    async (server) => {
      await createDescriber(llmOptions(server)).describe('tire', 'cut', TIRE);
      const [url] = imageURLs(server.requests[0].body);
      assert.ok(url.startsWith('data:image/jpeg;base64,'));
      const meta = await sharp(Buffer.from(url.split(',')[1], 'base64')).metadata();
      const original = await sharp(TIRE).metadata();
      assert.equal(Math.max(meta.width!, meta.height!), 512);
      assert.ok(Math.max(original.width!, original.height!) > 512);
      assert.ok(Math.abs(meta.width! / meta.height! - original.width! / original.height!) < 0.01);
    },
  );
});

test('a cached answer makes no second request; another model, instruction or image misses the cache; the key is never stored', async () => {
  const tmp = tempDir('llm-cache');
  try {
    await withChatServer(
      (i) => ok(`answer ${i}`),
      async (server) => {
        const cacheDir = join(tmp.dir, 'cache');
        const first = await createDescriber(llmOptions(server, { cacheDir })).describe('tire', 'cut', TIRE);
        assert.equal(server.requests.length, 1);
        const again = createDescriber(llmOptions(server, { cacheDir }));
        assert.deepEqual(await again.describe('tire', 'cut', TIRE), first);
        assert.equal(server.requests.length, 1, 'a new describer on the same cache asks nothing');
        assert.deepEqual(again.stats(), { requests: 0, cacheHits: 1 });

        const otherModel = await createDescriber(llmOptions(server, { cacheDir, model: 'other-model' })).describe('tire', 'cut', TIRE);
        assert.equal(server.requests.length, 2);
        assert.equal(server.requests[1].body.model, 'other-model');
        assert.equal(otherModel.text, 'answer 1');

        const instruction = 'Name the defect in five words.';
        const otherPrompt = await createDescriber(llmOptions(server, { cacheDir, instruction })).describe('tire', 'cut', TIRE);
        assert.equal(server.requests.length, 3);
        assert.match(promptText(server.requests[2].body), /Name the defect in five words\./);
        assert.equal(otherPrompt.provenance.kind === 'llm' && otherPrompt.provenance.promptHash, promptHash(true, instruction));
        assert.notEqual(promptHash(true, instruction), promptHash(true));

        await createDescriber(llmOptions(server, { cacheDir })).describe('tire', 'cut', join(SAMPLE, 'tire', 'test', 'cut', '009.png'));
        assert.equal(server.requests.length, 4, 'another example image is another request');
        await createDescriber(llmOptions(server, { cacheDir })).describe('tire', 'hole', TIRE);
        assert.equal(server.requests.length, 5, 'another class is another request');

        const files = readdirSync(cacheDir);
        assert.equal(files.length, 5);
        for (const file of files) {
          const text = readFileSync(join(cacheDir, file), 'utf8');
          assert.ok(!text.includes(KEY), `${file} holds no key`);
          assert.ok(!text.toLowerCase().includes('authorization'), `${file} holds no headers`);
        }
      },
    );
  } finally {
    tmp.remove();
  }
});

test('a corrupt cache file is a miss and is replaced', async () => {
  const tmp = tempDir('llm-corrupt');
  try {
    await withChatServer(
      () => ok('hole in tire'),
      async (server) => {
        const options = llmOptions(server, { cacheDir: tmp.dir });
        await createDescriber(options).describe('tire', 'hole');
        const [file] = readdirSync(tmp.dir);
        writeFileSync(join(tmp.dir, file), '{ not json');
        assert.equal((await createDescriber(options).describe('tire', 'hole')).text, 'hole in tire');
        assert.equal(server.requests.length, 2);
        assert.equal(JSON.parse(readFileSync(join(tmp.dir, file), 'utf8')).answer, 'hole in tire');
      },
    );
  } finally {
    tmp.remove();
  }
});

test('an unwritable cache folder is a warning; the description still comes through', async () => {
  const tmp = tempDir('llm-unwritable');
  try {
    const notAFolder = join(tmp.dir, 'file');
    writeFileSync(notAFolder, 'x');
    await withChatServer(
      () => ok('hole in wood'),
      async (server) => {
        const { entries, problems } = await createDescriber(llmOptions(server, { cacheDir: notAFolder })).describeAll([{ object: 'wood', defect: 'hole' }]);
        assert.equal(entries[0].text, 'hole in wood');
        assert.equal(entries[0].provenance.kind, 'llm');
        assert.equal(problems.length, 1);
        assert.equal(problems[0].severity, 'warning');
        assert.match(problems[0].message, /cannot cache the LLM answer for wood\/hole/);
      },
    );
  } finally {
    tmp.remove();
  }
});

test('429 with Retry-After is retried after the time the server asked for', async () => {
  await withChatServer(
    (i) => (i === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: errorBody('Rate limit reached', 'requests') } : ok('crack in hazelnut')),
    async (server) => {
      const entry = await createDescriber(llmOptions(server)).describe('hazelnut', 'crack');
      assert.equal(entry.text, 'crack in hazelnut');
      assert.equal(server.requests.length, 2);
      const waited = server.requests[1].at - server.requests[0].at;
      assert.ok(waited >= 900, `waited ${waited} ms for Retry-After: 1`);
    },
  );
});

test('dropped connections and 503 are retried with backoff', async () => {
  await withChatServer(
    (i) => (i === 0 ? 'drop' : i === 1 ? { status: 503, body: errorBody('overloaded') } : ok('scratch on capsule')),
    async (server) => {
      const entry = await createDescriber(llmOptions(server)).describe('capsule', 'scratch');
      assert.equal(entry.text, 'scratch on capsule');
      assert.equal(server.requests.length, 3);
    },
  );
});

test('a request that exceeds the timeout is retried, then reported as a timeout', async () => {
  await withChatServer(
    () => ({ status: 200, body: completion('too late'), delayMs: 400 }),
    async (server) => {
      const describer = createDescriber(llmOptions(server, { timeoutMs: 100, maxRetries: 1 }));
      await assert.rejects(describer.describe('bottle', 'contamination'), /after 2 attempts: .*timed out/i);
      assert.equal(server.requests.length, 2);
    },
  );
});

test('a persistent 500 gives a clear error, and describeAll falls back to the built-in description', async () => {
  await withChatServer(
    () => ({ status: 500, body: errorBody('The server had an error while processing your request') }),
    async (server) => {
      const describer = createDescriber(llmOptions(server, { maxRetries: 2 }));
      await assert.rejects(describer.describe('hazelnut', 'crack'), (err: Error) => {
        assert.match(err.message, /500/);
        assert.match(err.message, /after 3 attempts/);
        assert.match(err.message, /model test-model/);
        assert.ok(err.message.includes(server.baseURL));
        assert.ok(!err.message.includes(KEY));
        return true;
      });
      assert.equal(server.requests.length, 3);

      const { entries, problems } = await describer.describeAll([{ object: 'hazelnut', defect: 'crack', exampleImage: HAZELNUT }]);
      assert.deepEqual(entries, [{ object: 'hazelnut', defect: 'crack', text: 'crack in hazelnut', provenance: { kind: 'builtin' } }]);
      assert.equal(problems.length, 1);
      assert.equal(problems[0].file, HAZELNUT);
      assert.match(problems[0].message, /cannot describe hazelnut\/crack: .*500.*; using the built-in description/);
    },
  );
});

test('a refused key is not retried and never appears in the error, even when the server echoes it', async () => {
  await withChatServer(
    () => ({ status: 401, body: errorBody(`Incorrect API key provided: ${KEY}`, 'invalid_request_error') }),
    async (server) => {
      await assert.rejects(createDescriber(llmOptions(server)).describe('wood', 'hole'), (err: Error) => {
        assert.match(err.message, /401/);
        assert.ok(!err.message.includes(KEY), err.message);
        return true;
      });
      assert.equal(server.requests.length, 1);
    },
  );
});

test('an empty or unusable answer is an error for that class and falls back to the built-in description', async () => {
  await withChatServer(
    (i) => (i === 0 ? ok('') : i === 1 ? ok('  ""  \n') : ok('```\n\n```')),
    async (server) => {
      const describer = createDescriber(llmOptions(server));
      await assert.rejects(describer.describe('tile', 'oil'), /returned an empty answer for tile\/oil/);
      await assert.rejects(describer.describe('tile', 'crack'), /returned no usable description \(.*\) for tile\/crack/);
      const { entries, problems } = await describer.describeAll([{ object: 'tile', defect: 'rough' }]);
      assert.equal(entries[0].text, 'rough surface of tile');
      assert.deepEqual(entries[0].provenance, { kind: 'builtin' });
      assert.equal(problems.length, 1);
    },
  );
});

test('answers are sanitised to one short line', async () => {
  const long = `scratch ${'very '.repeat(80)}long`;
  const answers = ['Output: "Crack in the hazelnut."\nThe crack runs across the shell.', '**Description:** cut in carpet', long];
  await withChatServer(
    (i) => ok(answers[i]),
    async (server) => {
      const describer = createDescriber(llmOptions(server, { concurrency: 1 }));
      assert.equal((await describer.describe('hazelnut', 'crack')).text, 'crack in the hazelnut');
      assert.equal((await describer.describe('carpet', 'cut')).text, 'cut in carpet');
      const cut = (await describer.describe('wood', 'scratch')).text;
      assert.ok(cut.length <= 200 && cut.startsWith('scratch very') && !cut.endsWith(' '), cut);
    },
  );
});

test('no key: a UserError naming the variables, before any request', async () => {
  await withChatServer(
    () => ok('x'),
    async (server) => {
      const options = llmOptions(server, { env: { OPENAI_API_KEY: '  ' } });
      assert.throws(() => createDescriber(options), (err: unknown) => {
        assert.ok(err instanceof UserError);
        assert.match(err.message, /ANOMALY_LENS_LLM_API_KEY/);
        assert.match(err.message, /OPENAI_API_KEY/);
        return true;
      });
      assert.throws(() => createDescriber({ mode: 'llm', llm: { provider: 'azure', baseURL: server.origin, env: {} } }), /AZURE_OPENAI_API_KEY/);
      assert.equal(server.requests.length, 0);
    },
  );
});

test('endpoint, model and key can come from the environment; OPENAI_API_KEY works as the key', async () => {
  await withChatServer(
    () => ok('bent lead of transistor'),
    async (server) => {
      const env = { ANOMALY_LENS_LLM_BASE_URL: server.baseURL, ANOMALY_LENS_LLM_MODEL: 'env-model', OPENAI_API_KEY: 'sk-env-key' };
      const entry = await createDescriber({ mode: 'llm', llm: { env } }).describe('transistor', 'bent_lead');
      assert.equal(entry.text, 'bent lead of transistor');
      assert.equal(server.requests[0].body.model, 'env-model');
      assert.equal(server.requests[0].headers.authorization, 'Bearer sk-env-key');
      assert.deepEqual(entry.provenance, { kind: 'llm', model: 'env-model', promptHash: promptHash(false), baseURL: server.baseURL });
      assert.doesNotMatch(promptText(server.requests[0].body), /given an image/);
    },
  );
});

test('Azure OpenAI: deployment path, api-version and api-key header', async () => {
  await withChatServer(
    () => ok('hole in carpet'),
    async (server) => {
      const env = { AZURE_OPENAI_API_KEY: KEY, OPENAI_API_VERSION: '2024-06-01' };
      const entry = await createDescriber({ mode: 'llm', llm: { provider: 'azure', baseURL: server.origin, model: 'my-gpt4o', env } }).describe('carpet', 'hole');
      assert.equal(entry.text, 'hole in carpet');
      const [request] = server.requests;
      assert.equal(request.url, '/openai/deployments/my-gpt4o/chat/completions?api-version=2024-06-01');
      assert.equal(request.headers['api-key'], KEY);
    },
  );
});

test('requests stay within the concurrency limit and one class is asked once', async () => {
  await withChatServer(
    (i) => ({ status: 200, body: completion(`answer ${i}`), delayMs: 60 }),
    async (server) => {
      const describer = createDescriber(llmOptions(server, { concurrency: 2 }));
      const classes = ['crack', 'cut', 'hole', 'print', 'crack', 'crack'].map((defect) => ({ object: 'hazelnut', defect }));
      const parallel = await Promise.all(classes.map((c) => describer.describe(c.object, c.defect)));
      assert.equal(server.requests.length, 4);
      assert.equal(server.maxInFlight, 2);
      assert.equal(parallel[0].text, parallel[4].text);
      const { entries } = await describer.describeAll(classes);
      assert.equal(entries.length, 4);
      assert.equal(server.requests.length, 4, 'answers are kept for the process without a cache folder');
    },
  );
});

test('curated overrides win over the LLM without a request', async () => {
  const tmp = tempDir('llm-overrides');
  try {
    const file = join(tmp.dir, 'overrides.json');
    writeFileSync(file, JSON.stringify({ 'hazelnut/crack': 'cracked shell of {object}' }));
    await withChatServer(
      () => ok('from the model'),
      async (server) => {
        const describer = createDescriber({ ...llmOptions(server), overrides: file });
        assert.deepEqual(await describer.describe('hazelnut', 'crack', HAZELNUT), {
          object: 'hazelnut',
          defect: 'crack',
          text: 'cracked shell of hazelnut',
          provenance: { kind: 'curated', file },
        });
        assert.equal(server.requests.length, 0);
        assert.equal((await describer.describe('hazelnut', 'hole')).text, 'from the model');
        assert.equal(server.requests.length, 1);
      },
    );
  } finally {
    tmp.remove();
  }
});
