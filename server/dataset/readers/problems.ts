import type { Problem } from '../../util/errors';

/** Collects the problems of one reading; the reading goes on after each. */
export class ProblemLog {
  readonly list: Problem[] = [];

  error(file: string, message: string, other?: string): void {
    this.add('error', file, message, other);
  }

  warning(file: string, message: string, other?: string): void {
    this.add('warning', file, message, other);
  }

  /**
   * The problems in a fixed order: by file, and for one file in the order found (reading
   * one file's problems is sequential; only different files may be read concurrently).
   */
  sorted(): Problem[] {
    return [...this.list].sort((a, b) => compareStrings(a.file, b.file));
  }

  private add(severity: Problem['severity'], file: string, message: string, other?: string): void {
    this.list.push({ file, ...(other !== undefined ? { other } : {}), message, severity });
  }
}

/** Code-unit order, independent of the locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
