// @pure: the user's errors and error messages, for every process.
/** An error caused by the user's input (a file, a flag): printed without a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    /** The file the problem is about, when there is one. */
    readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'UserError';
  }
}

export type { Problem } from './problem';

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
