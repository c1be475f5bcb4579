// The requests in progress: each gets an AbortSignal tied to its JSON-RPC cancellation, errors
// become protocol errors, and shutdown cancels them all and waits for them to end.
import { type MessageConnection, ParameterStructures, RequestType, RequestType0, ResponseError } from 'vscode-jsonrpc';
import { toResponseError } from './errors';
import { ErrorCodes } from './protocol';

class ByNameRequestType0<R> extends RequestType0<R, void> {
  override get parameterStructures(): ParameterStructures {
    return ParameterStructures.byName;
  }
}

/**
 * The server's own copy of a request type, taking parameters by name only: vscode-jsonrpc
 * answers a list of parameters with InvalidParams naming the method, instead of spreading the
 * list over the handler's arguments (where the cancellation token would be an element of it).
 */
export function byName<R>(type: RequestType0<R, void>): RequestType0<R, void>;
export function byName<P, R>(type: RequestType<P, R, void>): RequestType<P, R, void>;
export function byName<P, R>(type: RequestType<P, R, void> | RequestType0<R, void>): RequestType<P, R, void> | RequestType0<R, void> {
  return type.numberOfParams === 0 ? new ByNameRequestType0<R>(type.method) : new RequestType<P, R, void>(type.method, ParameterStructures.byName);
}

export type Handler<P, R> = (params: P, signal: AbortSignal) => Promise<R>;

interface ActiveRequest {
  method: string;
  controller: AbortController;
  finished: Promise<unknown>;
}

export class RequestTracker {
  private readonly active = new Map<number, ActiveRequest>();
  private nextId = 0;
  private closing = false;

  constructor(
    private readonly connection: MessageConnection,
    private readonly log: (message: string) => void,
  ) {}

  /** Methods of the requests in progress. */
  activeMethods(): string[] {
    return [...this.active.values()].map((r) => r.method);
  }

  get shuttingDown(): boolean {
    return this.closing;
  }

  handle<P, R>(type: RequestType<P, R, void>, handler: Handler<P, R>): void {
    this.connection.onRequest(byName(type), async (params, token) => {
      if (this.closing) throw new ResponseError(ErrorCodes.ShuttingDown, `the server is shutting down; ${type.method} was not started`);
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      const id = this.nextId++;
      const run = handler(params, controller.signal);
      this.active.set(id, { method: type.method, controller, finished: run.catch(() => undefined) });
      try {
        return await run;
      } catch (err) {
        throw toResponseError(err, type.method, this.log);
      } finally {
        subscription.dispose();
        this.active.delete(id);
      }
    });
  }

  /** Refuses new requests, cancels those in progress and waits (at most `timeoutMs`) for them to end. */
  async cancelAll(timeoutMs: number): Promise<void> {
    this.closing = true;
    const running = [...this.active.values()];
    for (const request of running) request.controller.abort();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([Promise.all(running.map((r) => r.finished)), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.log(`shutdown: ${this.activeMethods().join(', ')} still running after ${timeoutMs} ms; exiting anyway`);
  }
}
