// How a failed request is answered: the user's mistakes with their message and file, anything
// else as an internal error (logged with its stack on stderr).
import { ResponseError } from 'vscode-jsonrpc';
import { UserError, errorMessage } from '../util/errors';
import { StaleVersionError } from '../editor/regionsVersion';
import { ErrorCodes, type ErrorData } from './protocol';

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

export function toResponseError(err: unknown, method: string, log: (message: string) => void): ResponseError<ErrorData | void> {
  if (err instanceof ResponseError) return err as ResponseError<ErrorData | void>;
  if (err instanceof StaleVersionError) {
    return new ResponseError<ErrorData>(ErrorCodes.StaleVersion, err.message, { kind: 'stale', current: err.current, ...(err.file ? { file: err.file } : {}) });
  }
  if (err instanceof UserError) {
    return new ResponseError<ErrorData>(ErrorCodes.UserError, err.message, { kind: 'user', ...(err.file ? { file: err.file } : {}) });
  }
  if (isAbortError(err)) return new ResponseError(ErrorCodes.RequestCancelled, `${method} was cancelled`);
  const name = err instanceof Error ? err.name : typeof err;
  log(`${method} failed: ${err instanceof Error && err.stack ? err.stack : errorMessage(err)}`);
  return new ResponseError<ErrorData>(ErrorCodes.InternalError, errorMessage(err), { kind: 'internal', name });
}
