// The LLM rewriter: one request per (object, defect) class with the paper's prompt and an
// example image, answers cached on disk, retried when the server is busy, a few at a time,
// all within one deadline. Answers lose every secret the process holds before anything
// keeps or shows them.
import { createHash } from 'node:crypto';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { DescriptionProvenance } from '../types';
import { errorMessage, type Problem } from '../../util/errors';
import { DescriptionSkipped } from '../fallback';
import { createLimiter } from '../limiter';
import { readableDefect, readableObject } from '../names';
import { AnswerCache } from './cache';
import { createChatClient, type ChatClient } from './client';
import { redactURL, type LlmConfig } from './config';
import { readExampleImage, type ExampleImage } from './image';
import { buildMessages, promptHash } from './prompt';
import { RetriesExhausted, RetryAfterTooLong, withRetry } from './retry';
import { sanitizeAnswer } from './sanitize';
import { REDACTED, scrubSecrets } from './secrets';

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

  const clean = (text: string): string => scrubSecrets(text, config.secrets);

  // The deadline runs from the first description asked for; it cancels requests in flight and
  // the waits between attempts, and turns away the classes still queued.
  let deadline: AbortSignal | undefined;
  const deadlineSignal = (): AbortSignal => (deadline ??= AbortSignal.timeout(config.deadlineMs));
  const deadlineMissed = (): DescriptionSkipped =>
    new DescriptionSkipped(`no answer from the LLM at ${endpoint} within the ${config.deadlineMs / 1000} s deadline for descriptions (--llm-deadline)`);

  async function ask(messages: ChatCompletionMessageParam[]): Promise<string> {
    const signal = deadlineSignal();
    try {
      const { value } = await limiter.run(() => {
        if (signal.aborted) throw deadlineMissed();
        return withRetry(
          () => {
            stats.requests++;
            return client.complete(messages, signal);
          },
          { maxRetries: config.maxRetries, baseMs: config.retryBaseMs, maxMs: config.retryMaxMs, signal },
        );
      });
      return value;
    } catch (err) {
      if (signal.aborted) throw deadlineMissed();
      const cause = err instanceof RetriesExhausted ? err.lastError : err;
      if (cause instanceof RetryAfterTooLong) {
        throw new DescriptionSkipped(clean(`the LLM request to ${endpoint} (model ${config.model}) was not retried: ${cause.message}`));
      }
      const tries = err instanceof RetriesExhausted && err.attempts > 1 ? ` after ${err.attempts} attempts` : '';
      throw new Error(clean(`the LLM request to ${endpoint} (model ${config.model}) failed${tries}: ${errorMessage(cause)}`));
    }
  }

  /** The answer without secrets; a warning when there were some (the endpoint echoed a request). */
  function scrubbed(answer: string, object: string, defect: string): string {
    const clear = clean(answer);
    if (clear !== answer) {
      problems.push({
        file: `${object}/${defect}`,
        message: `the LLM answer for ${object}/${defect} held an API key or credential; it was removed before the answer was kept`,
        severity: 'warning',
      });
    }
    return clear;
  }

  /** The description in a scrubbed answer; '' when there is none or it would show a removed secret. */
  const describeAnswer = (answer: string): string => {
    const text = sanitizeAnswer(answer);
    return text.includes(REDACTED) ? '' : text;
  };

  async function run(key: string, object: string, defect: string, messages: ChatCompletionMessageParam[], image: ExampleImage | undefined): Promise<LlmDescription> {
    const withImage = image !== undefined;
    const hit = await cache.get(key);
    if (hit) {
      // A cache written before answers were scrubbed is cleaned on the way.
      const answer = clean(hit.answer);
      if (answer !== hit.answer) await cache.put({ ...hit, answer }).catch(() => undefined);
      const text = describeAnswer(answer);
      if (text !== '') {
        stats.cacheHits++;
        return { text, provenance: provenance(withImage), cached: true };
      }
    }
    const answer = scrubbed(await ask(messages), object, defect);
    const text = describeAnswer(answer);
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
      problems.push({ file: config.cacheDir ?? '', message: clean(`cannot cache the LLM answer for ${object}/${defect}: ${errorMessage(err)}`), severity: 'warning' });
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
