// The message envelope between a webview and its host: requests carry an id and get exactly one
// reply; events need none. Each webview declares one map of its requests (for each kind, the
// params it carries and the reply it gets) and a union of its events; the asking side
// (webviews/channel.ts) and the answering side (a handler per kind) are typed by the same map,
// so the compiler checks every reply on both sides. Types and small pure helpers only: both the
// browser bundle and the extension host import this file.

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

/** The params of a request that carries nothing but its kind. */
export type NoParams = Record<string, never>;

/** One request of a webview's map: what it carries besides its kind, and what its reply is. */
export interface Exchange {
  params: object;
  reply: unknown;
}

/** The kinds of a request map. */
export type KindOf<M> = keyof M & string;
export type ParamsOf<M, K extends KindOf<M>> = M[K] extends Exchange ? M[K]['params'] : never;
export type ReplyOf<M, K extends KindOf<M>> = M[K] extends Exchange ? M[K]['reply'] : never;
/** The request bodies of a map as they travel: `{ kind, ...params }`. */
export type RequestOf<M> = { [K in KindOf<M>]: { kind: K } & ParamsOf<M, K> }[KindOf<M>];
/** The arguments after the kind: none for a request without params. */
export type ParamsArgs<M, K extends KindOf<M>> = ParamsOf<M, K> extends NoParams ? [] : [params: ParamsOf<M, K>];

/** The answering side of a map: one handler per kind, each returning that kind's reply. */
export type Handlers<M> = { [K in KindOf<M>]: (params: ParamsOf<M, K>) => ReplyOf<M, K> | Promise<ReplyOf<M, K>> };

/** The asking side of a map: each reply has the type the map gives its kind. */
export type RequestFunction<M> = <K extends KindOf<M>>(kind: K, ...params: ParamsArgs<M, K>) => Promise<ReplyOf<M, K>>;

/**
 * A map's asking function over a requester. The reply's type is the map's word for it: the other
 * side answers with the handler `Handlers<M>` types (see `dispatch`).
 */
export function requestFunction<M>(requester: Requester<RequestOf<M>>): RequestFunction<M> {
  return (kind, ...params) => requester.request({ kind, ...params[0] } as RequestOf<M>) as Promise<ReplyOf<M, typeof kind>>;
}

/** Runs the handler of a request's kind; a kind the map does not declare is an error. */
export function dispatch<M>(handlers: Handlers<M>): (body: Kinded) => unknown {
  return (body) => {
    if (!Object.prototype.hasOwnProperty.call(handlers, body.kind)) throw new Error(`no request of the kind ${JSON.stringify(body.kind)}`);
    const handler = handlers[body.kind as KindOf<M>] as (params: unknown) => unknown;
    return handler(body);
  };
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
