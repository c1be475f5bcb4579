// A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol, with
// replies scripted per test, recording every request it gets.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: ChatRequestBody;
  /** Milliseconds since the server started. */
  at: number;
}

export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string | ({ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: string } })[] }[];
  [key: string]: unknown;
}

/**
 * A reply: a status with a JSON body, 'drop' to close the connection without answering, or
 * 'hang' to keep it open and never answer (until the server closes).
 */
export type Reply = { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number } | 'drop' | 'hang';

export interface ChatServer {
  /** Base URL including /v1, as clients configure it. */
  baseURL: string;
  /** Origin without a path (for Azure-style endpoints). */
  origin: string;
  requests: RecordedRequest[];
  maxInFlight: number;
  close(): Promise<void>;
}

/** A chat.completion object as OpenAI returns it. */
export function completion(text: string | null, model = 'test-model'): unknown {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

export function errorBody(message: string, type = 'server_error'): unknown {
  return { error: { message, type, param: null, code: null } };
}

/** Starts the server; `reply` decides the answer to request number `index` (0-based). */
export async function startChatServer(reply: (request: RecordedRequest, index: number) => Reply): Promise<ChatServer> {
  const started = Date.now();
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: (text ? JSON.parse(text) : {}) as ChatRequestBody,
        at: Date.now() - started,
      };
      requests.push(recorded);
      const answer = reply(recorded, requests.length - 1);
      if (answer === 'hang') return;
      const finish = (): void => {
        inFlight--;
        if (answer === 'drop') {
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body ?? {}));
      };
      if (answer !== 'drop' && answer.delayMs) setTimeout(finish, answer.delayMs);
      else finish();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    baseURL: `${origin}/v1`,
    origin,
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The text parts of the user message of a request, joined. */
/** Runs `body` against a chat server answering the n-th request with `reply(n)`, closed afterwards. */
export async function withChatServer(reply: (index: number) => Reply, body: (server: ChatServer) => Promise<void>): Promise<void> {
  const server = await startChatServer((_, i) => reply(i));
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

export function promptText(body: ChatRequestBody): string {
  return body.messages
    .flatMap((m) => (typeof m.content === 'string' ? [m.content] : m.content.flatMap((p) => (p.type === 'text' ? [p.text] : []))))
    .join('\n');
}

/** The image URLs of a request. */
export function imageURLs(body: ChatRequestBody): string[] {
  return body.messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content.flatMap((p) => (p.type === 'image_url' ? [p.image_url.url] : []))));
}
