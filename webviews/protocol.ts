// The message envelope between a webview and its host: requests carry an id and get exactly one
// reply; events need none. Each webview declares its own request and event unions (discriminated
// by `kind`) and instantiates the envelope with them. Types and two small pure helpers only: both
// the browser bundle and the extension host import this file.

export interface RequestEnvelope<Req> {
  type: 'request';
  id: number;
  body: Req;
}

export type ReplyEnvelope =
  | { type: 'reply'; id: number; ok: true; body: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

export interface EventEnvelope<Ev> {
  type: 'event';
  body: Ev;
}

export type Envelope<Req, Ev> = RequestEnvelope<Req> | ReplyEnvelope | EventEnvelope<Ev>;

/** What a webview body may be: a union discriminated by `kind`. */
export interface Kinded {
  kind: string;
}

export function isEnvelope(value: unknown): value is Envelope<Kinded, Kinded> {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.type === 'reply') return typeof m.id === 'number' && typeof m.ok === 'boolean';
  if (m.type !== 'request' && m.type !== 'event') return false;
  if (m.type === 'request' && typeof m.id !== 'number') return false;
  const body = m.body as Record<string, unknown> | null;
  return typeof body === 'object' && body !== null && typeof body.kind === 'string';
}

/**
 * The asking side: numbers requests, posts them, and settles each promise when its reply arrives.
 * `post` is `vscode.postMessage` in a webview or `webview.postMessage` on the host.
 */
export interface Requester<Req> {
  request(body: Req): Promise<unknown>;
  /** Hand every incoming message here; true when it was a reply this requester was waiting for. */
  settle(message: unknown): boolean;
  /** Requests still waiting for their reply. */
  pending(): number;
  /** Fails every waiting request (the other side went away). */
  rejectAll(reason: string): void;
}

export function createRequester<Req>(post: (message: RequestEnvelope<Req>) => unknown): Requester<Req> {
  let next = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  return {
    request(body) {
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        try {
          post({ type: 'request', id, body });
        } catch (err) {
          waiting.delete(id);
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    },
    settle(message) {
      if (!isEnvelope(message) || message.type !== 'reply') return false;
      const entry = waiting.get(message.id);
      if (!entry) return false;
      waiting.delete(message.id);
      if (message.ok) entry.resolve(message.body);
      else entry.reject(new Error(message.error));
      return true;
    },
    pending: () => waiting.size,
    rejectAll(reason) {
      for (const entry of waiting.values()) entry.reject(new Error(reason));
      waiting.clear();
    },
  };
}

/**
 * The answering side: runs the handler for one request and returns the reply to post, an error
 * reply when the handler throws or rejects (so the asker never waits forever).
 */
export async function answer<Req>(request: RequestEnvelope<Req>, handler: (body: Req) => unknown): Promise<ReplyEnvelope> {
  try {
    return { type: 'reply', id: request.id, ok: true, body: (await handler(request.body)) ?? null };
  } catch (err) {
    return { type: 'reply', id: request.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
