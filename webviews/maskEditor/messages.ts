// The mask editor's messages, in the envelope of webviews/protocol.ts.  Types only.
import type { EncodedEdit } from '../../server/editor/maskDocument/editCodec';
import type { RegionMeta } from '../../server/editor/maskDocument/types';
import type { RegionClass } from '../../server/editor/regionsTypes';

/** Everything the webview needs to draw the document. */
export interface EditorState {
  width: number;
  height: number;
  /** The image, as the webview may load it (asWebviewUri). */
  imageUri: string;
  /** The label map: base64 of little-endian uint16, one value per pixel. */
  labels: string;
  regions: RegionMeta[];
  /** Descriptions to pick from: the image's object's classes, and those its regions already carry. */
  descriptions: string[];
  /** The classes a region of the image's object may get (never another object's). */
  classes: RegionClass[];
  /** The image's object ('' when nothing names one). */
  object: string;
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
  /** The label of a region about to be drawn: the class last used on the object, else the user's pick; null when cancelled. */
  | { kind: 'newRegionLabel' }
  /** A description that is no class of the object: the new class the user confirmed, or null. */
  | { kind: 'newClass'; description: string }
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
