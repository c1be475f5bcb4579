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

  /** The problems in a fixed order (by file, then the rest), whatever order the reading found them in. */
  sorted(): Problem[] {
    const key = (p: Problem) => [p.file, p.other ?? '', p.message, p.severity];
    return [...this.list].sort((a, b) => compareArrays(key(a), key(b)));
  }

  private add(severity: Problem['severity'], file: string, message: string, other?: string): void {
    this.list.push({ file, ...(other !== undefined ? { other } : {}), message, severity });
  }
}

/** Code-unit order, independent of the locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareArrays(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareStrings(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}
