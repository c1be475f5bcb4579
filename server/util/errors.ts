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

/** One problem found while reading or building; the job goes on and reports it. */
export interface Problem {
  /** The file the problem is about (absolute or relative to the source root). */
  file: string;
  /** A second file involved (e.g. the image of a mask that does not match). */
  other?: string;
  message: string;
  severity: 'error' | 'warning';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
