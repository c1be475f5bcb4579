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
  | 'line-too-long'
  | 'missing-field'
  | 'wrong-type'
  | 'path-escapes'
  | 'description-unknown'
  | 'description-differs'
  | 'file-unreadable'
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
  /** Why the file exists but could not be read as an image (a folder, a corrupt PNG…). */
  problem?: string;
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
  /** The path as written. */
  path: string;
  /** Absolute path, inside the root. */
  target: string;
}

/** A problem with the fixes offered for it. */
export interface LintedDiagnostic extends SplitDiagnostic {
  fixes?: QuickFix[];
}

/** A path of a split file: [line, start character, end character] of its JSON string (quotes included). */
export type LinkSpan = [number, number, number];

/** A lint as the worker thread sends it: line numbers and link spans as packed integers. */
export interface PackedSplitFileLint {
  diagnostics: LintedDiagnostic[];
  more: number;
  /** [line, start, end] of each link, one after another. */
  links: Int32Array;
  records: Int32Array;
}

/** Everything the editor shows about one version of a split file. */
export interface SplitFileLint {
  /** At most a limit of them, in line order. */
  diagnostics: LintedDiagnostic[];
  /** Problems past the limit, not sent. */
  more: number;
  /** Image and mask paths that stay inside the dataset folder. */
  links: LinkSpan[];
  /** Lines that hold a record (one JSON object). */
  records: number[];
}

export interface RecordThumbnail {
  /** A `data:image/png;base64,…` URL. */
  thumbnail: string;
  width: number;
  height: number;
  /** The image, absolute. */
  image: string;
  /** Each region's mask, absolute; null when it is missing or leaves the dataset folder. */
  masks: (string | null)[];
}

export type RegionPrediction = { ranking: { text: string; probability: number }[] } | { error: string };

export interface RecordPredictions {
  bundle: string;
  /** The bundle's confidence below which an answer is uncertain (its calibrated threshold, else the default). */
  uncertainBelow?: number;
  /** Per region of the record; null for regions not asked for. */
  regions: (RegionPrediction | null)[];
}
