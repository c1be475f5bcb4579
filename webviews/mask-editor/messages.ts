// The mask editor's messages, in the envelope of webviews/protocol.ts.  Types only.
import type { EncodedEdit } from '../../server/editor/maskDocument/editCodec';
import type { RegionMeta } from '../../server/editor/maskDocument/types';

/** Everything the webview needs to draw the document. */
export interface EditorState {
  width: number;
  height: number;
  /** The image, as the webview may load it (asWebviewUri). */
  imageUri: string;
  /** The label map: base64 of little-endian uint16, one value per pixel. */
  labels: string;
  regions: RegionMeta[];
  /** Descriptions to pick from (the dataset's, and those already used). */
  descriptions: string[];
  /** Which files the regions are read from and saved to, for people. */
  files: string[];
  /** A region to select at once (opened from the review queue). */
  select?: number;
}

export interface Ranked {
  text: string;
  cosine: number;
  probability: number;
}

/** Webview -> host. */
export type EditorRequest =
  | { kind: 'ready' }
  | { kind: 'edit'; edit: EncodedEdit }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'describe'; region: number; topK?: number }
  | { kind: 'chooseMask' };

/** Host -> webview. */
export type EditorEvent =
  /** The whole document (first load, revert, reload after a change on disk). */
  | { kind: 'state'; state: EditorState }
  /** An edit done or undone outside the webview's own stroke (VS Code's Undo/Redo). */
  | { kind: 'edit'; edit: EncodedEdit; direction: 'apply' | 'revert' }
  /** Select and show one region. */
  | { kind: 'select'; region: number }
  | { kind: 'saved' };

export interface DescribeReply {
  region: number;
  ranking: Ranked[];
  bundle: string;
  /** Milliseconds the server took. */
  ms: number;
}
