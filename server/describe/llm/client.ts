// One chat completion through the openai package, against OpenAI, Azure OpenAI or any
// OpenAI-compatible server; retries are ours (see retry.ts), not the package's.
import OpenAI, { AzureOpenAI } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { LlmConfig } from './config';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface ChatClient {
  /** The text of the first choice ('' when the server sent none); `signal` cancels the request. */
  complete(messages: ChatCompletionMessageParam[], signal?: AbortSignal): Promise<string>;
}

export function createChatClient(config: LlmConfig): ChatClient {
  const common = { apiKey: config.apiKey, maxRetries: 0, timeout: config.timeoutMs };
  const client =
    config.provider === 'azure'
      ? new AzureOpenAI({ ...common, endpoint: config.baseURL, apiVersion: config.apiVersion, deployment: config.model })
      : new OpenAI({ ...common, baseURL: config.baseURL ?? OPENAI_BASE_URL });
  return {
    async complete(messages, signal) {
      const completion = await client.chat.completions.create(
        {
          model: config.model,
          messages,
          ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
        },
        signal ? { signal } : undefined,
      );
      return completion.choices?.[0]?.message?.content ?? '';
    },
  };
}
