// The LLM rewriter: one request per (object, defect) class with the paper's prompt and an
// example image, answers cached on disk, retried when the server is busy, a few at a time.
import { createHash } from 'node:crypto';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { DescriptionProvenance } from '../../dataset/format';
import { errorMessage, type Problem } from '../../util/errors';
import { createLimiter } from '../limiter';
import { readableDefect, readableObject } from '../names';
import { AnswerCache } from './cache';
import { createChatClient, type ChatClient } from './client';
import { redactSecret, redactURL, type LlmConfig } from './config';
import { readExampleImage, type ExampleImage } from './image';
import { buildMessages, promptHash } from './prompt';
import { RetriesExhausted, withRetry } from './retry';
import { sanitizeAnswer } from './sanitize';

export type LlmProvenance = Extract<DescriptionProvenance, { kind: 'llm' }>;

export interface LlmDescription {
  text: string;
  provenance: LlmProvenance;
  /** Whether the answer came from the cache. */
  cached: boolean;
}

export interface LlmDescriber {
  describe(object: string, defect: string, exampleImage?: string): Promise<LlmDescription>;
  /** Warnings met on the way (e.g. a cache file that could not be written). */
  readonly problems: readonly Problem[];
  /** Requests sent and answers taken from the cache so far. */
  readonly stats: { requests: number; cacheHits: number };
}

/** The cache key: model, provider and the exact messages, the image named by its content. */
function requestKey(config: LlmConfig, messages: ChatCompletionMessageParam[], image: ExampleImage | undefined): string {
  const imageName = image ? `sha256:${image.sha256}@${config.maxImageSide}` : null;
  const stable = JSON.stringify({ provider: config.provider, model: config.model, temperature: config.temperature ?? null, messages }, (key, value: unknown) =>
    key === 'url' && typeof value === 'string' && value.startsWith('data:') ? imageName : value,
  );
  return createHash('sha256').update(stable).digest('hex');
}

export function createLlmDescriber(config: LlmConfig, client: ChatClient = createChatClient(config)): LlmDescriber {
  const cache = new AnswerCache(config.cacheDir);
  const limiter = createLimiter(config.concurrency);
  const inFlight = new Map<string, Promise<LlmDescription>>();
  const problems: Problem[] = [];
  const stats = { requests: 0, cacheHits: 0 };
  const endpoint = redactURL(config.baseURL ?? 'https://api.openai.com/v1');
  const provenance = (withImage: boolean): LlmProvenance => ({
    kind: 'llm',
    model: config.model,
    promptHash: promptHash(withImage, config.instruction),
    ...(config.baseURL !== undefined ? { baseURL: redactURL(config.baseURL) } : {}),
  });

  const clean = (text: string): string => redactSecret(text, config.apiKey);

  async function ask(messages: ChatCompletionMessageParam[]): Promise<string> {
    try {
      const { value } = await limiter.run(() =>
        withRetry(
          () => {
            stats.requests++;
            return client.complete(messages);
          },
          { maxRetries: config.maxRetries, baseMs: config.retryBaseMs, maxMs: config.retryMaxMs },
        ),
      );
      return value;
    } catch (err) {
      const cause = err instanceof RetriesExhausted ? err.lastError : err;
      const tries = err instanceof RetriesExhausted && err.attempts > 1 ? ` after ${err.attempts} attempts` : '';
      throw new Error(clean(`the LLM request to ${endpoint} (model ${config.model}) failed${tries}: ${errorMessage(cause)}`));
    }
  }

  async function run(key: string, object: string, defect: string, messages: ChatCompletionMessageParam[], image: ExampleImage | undefined): Promise<LlmDescription> {
    const withImage = image !== undefined;
    const hit = await cache.get(key);
    if (hit) {
      const text = sanitizeAnswer(hit.answer);
      if (text !== '') {
        stats.cacheHits++;
        return { text, provenance: provenance(withImage), cached: true };
      }
    }
    const answer = await ask(messages);
    const text = sanitizeAnswer(answer);
    if (text === '') {
      const shown = answer.trim() === '' ? 'an empty answer' : `no usable description (${JSON.stringify(clean(answer.slice(0, 80)))})`;
      throw new Error(`the LLM (model ${config.model}) returned ${shown} for ${object}/${defect}`);
    }
    try {
      await cache.put({
        key,
        model: config.model,
        promptHash: promptHash(withImage, config.instruction),
        object,
        defect,
        image: image?.sha256 ?? null,
        answer,
        createdAt: new Date().toISOString(),
      });
    } catch (err) {
      problems.push({ file: config.cacheDir ?? '', message: `cannot cache the LLM answer for ${object}/${defect}: ${errorMessage(err)}`, severity: 'warning' });
    }
    return { text, provenance: provenance(withImage), cached: false };
  }

  return {
    problems,
    stats,
    async describe(object, defect, exampleImage) {
      const image = exampleImage !== undefined ? await readExampleImage(exampleImage, config.maxImageSide) : undefined;
      const messages = buildMessages({ instruction: config.instruction, object: readableObject(object), defect: readableDefect(defect), imageURL: image?.dataURL });
      const key = requestKey(config, messages, image);
      let pending = inFlight.get(key);
      if (!pending) {
        pending = run(key, object, defect, messages, image).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
}
