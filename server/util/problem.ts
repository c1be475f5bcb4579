// A problem found while reading, building or checking a dataset (types only: shared with the protocol).

/** One problem found while reading or building; the job goes on and reports it. */
export interface Problem {
  /** The file the problem is about (absolute or relative to the source root). */
  file: string;
  /** A second file involved (e.g. the image of a mask that does not match). */
  other?: string;
  message: string;
  severity: 'error' | 'warning';
}
