// @pure: the child server's protocol (index.ts).
// The child server's protocol (see index.ts): dataset files as text — a split file's problems,
// links and records, and a record's preview and prediction.
import { RequestType } from 'vscode-jsonrpc';
import type { LintedDiagnostic, LinkSpan, QuickFix, RecordPredictions, RecordThumbnail, RegionPrediction, SplitFileLint } from '../../datasetText/types';

// Dataset files as a language: the problems, paths and records of a split file as the editor
// holds it (linted in a worker thread), and what a hover over one of its records shows.

export type { LintedDiagnostic, LinkSpan, QuickFix, RecordPredictions, RecordThumbnail, RegionPrediction, SplitFileLint };

export interface LintSplitFileParams {
  /** The split file (train/val/test.jsonl); its folder is the dataset root. */
  file: string;
  /**
   * Its text as the editor holds it, when it differs from the file on disk.  Absent, the file is
   * read from disk straight into the lint worker's shared memory: a large file then never crosses
   * the host, the pipe or the server's thread, and requests sent after it are not held up behind
   * it.  Read so, `file` must be an absolute path named *.jsonl and a regular file, not a link.
   */
  text?: string;
  /**
   * The model the file's hovers predict with (no bundle: the embedded default), opened while the
   * file is checked, so that the first hover over it does not wait for the model to load.
   */
  hoverModel?: { bundle?: string };
}

export const LintSplitFileRequest = new RequestType<LintSplitFileParams, SplitFileLint, void>('anomalyLens/lintSplitFile');

/** A record's files as written in it, relative to the split file's folder. */
export interface RecordFilesParams {
  file: string;
  image: string;
  masks: string[];
}

export interface PreviewRecordParams extends RecordFilesParams {
  /** Index of a region: that region alone, enlarged. */
  focus?: number;
  /** Longest side of the thumbnail (default 256). */
  maxSize?: number;
}

export const PreviewRecordRequest = new RequestType<PreviewRecordParams, RecordThumbnail, void>('anomalyLens/previewRecord');

export interface PredictRecordParams extends RecordFilesParams {
  /** Model bundle folder (default: the embedded default model). */
  bundle?: string;
  /** Descriptions per region (default 3). */
  topK?: number;
  /** Index of the one region to predict (default all). */
  only?: number;
}

export const PredictRecordRequest = new RequestType<PredictRecordParams, RecordPredictions, void>('anomalyLens/predictRecord');
