// What a request to the child server can fail with: the server's answer (the user's mistake,
// an internal failure, a cancellation), no answer in time, or no server to ask.
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCodes, type ErrorData } from '../../server/rpc/protocol';

export type ServerErrorKind = 'user' | 'stale' | 'internal' | 'invalid-params' | 'cancelled' | 'shutting-down' | 'protocol';

/** The server answered the request with an error. */
export class ServerRequestError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly kind: ServerErrorKind,
    message: string,
    /** For 'user' and 'stale' errors: the file the problem is about, when there is one. */
    readonly file?: string,
    /** For 'stale' errors: the version the regions are at now. */
    readonly current?: string,
  ) {
    super(message);
    this.name = 'ServerRequestError';
  }
}

/** No answer within the request's time limit; the request was cancelled on the server. */
export class RequestTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`the Anomaly Lens server did not answer ${method} within ${timeoutMs} ms; the request was cancelled`);
    this.name = 'RequestTimeoutError';
  }
}

/** The server process ended while the request was waiting for its answer. */
export class ServerCrashedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerCrashedError';
  }
}

/** The server cannot be started, or crashed too often and is not restarted any more. */
export class ServerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerUnavailableError';
  }
}

/** The client was disposed. */
export class ClientDisposedError extends Error {
  constructor() {
    super('the Anomaly Lens server client has been disposed');
    this.name = 'ClientDisposedError';
  }
}

function kindOf(code: number): ServerErrorKind {
  switch (code) {
    case ErrorCodes.UserError:
      return 'user';
    case ErrorCodes.StaleVersion:
      return 'stale';
    case ErrorCodes.InternalError:
      return 'internal';
    case ErrorCodes.InvalidParams:
      return 'invalid-params';
    case ErrorCodes.RequestCancelled:
      return 'cancelled';
    case ErrorCodes.ShuttingDown:
      return 'shutting-down';
    default:
      return 'protocol';
  }
}

/** A rejection of vscode-jsonrpc's sendRequest as one of the errors above. */
export function requestError(method: string, err: unknown): Error {
  if (err instanceof ResponseError) {
    const data = err.data as ErrorData | undefined;
    const file = data?.kind === 'user' || data?.kind === 'stale' ? data.file : undefined;
    return new ServerRequestError(method, err.code, kindOf(err.code), err.message, file, data?.kind === 'stale' ? data.current : undefined);
  }
  return err instanceof Error ? err : new Error(String(err));
}
