// What the split-file language features exchange: positions, problems, fixes and links.  Types
// only: the child server's protocol and the extension import them.

/** Positions as editors count them: 0-based line and UTF-16 character. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning';

export type DiagnosticCode =
  | 'malformed-json'
  | 'missing-field'
  | 'wrong-type'
  | 'path-escapes'
  | 'description-unknown'
  | 'description-differs'
  | 'image-missing'
  | 'image-size'
  | 'mask-missing'
  | 'mask-size'
  | 'bbox-mismatch'
  | 'area-mismatch';

export interface SplitDiagnostic {
  /** 0-based line of the record. */
  line: number;
  range: Range;
  severity: Severity;
  message: string;
  code: DiagnosticCode;
  /** The region the problem is about, when it is about one. */
  region?: number;
}

export type Bbox = [number, number, number, number];

/** What the server found about one file a record names (keyed by the path as written). */
export interface FileFacts {
  exists: boolean;
  width?: number;
  height?: number;
  /** Foreground pixels, for a region mask. */
  area?: number;
  /** Bounding box [x, y, w, h] of the foreground, for a region mask. */
  bbox?: Bbox;
}

export interface DescriptionEntry {
  object: string;
  defect: string;
  text: string;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
}

export interface PathLink {
  range: Range;
  /** Absolute path, inside the root. */
  target: string;
}
