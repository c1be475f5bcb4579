// The mask editor's messages, in the envelope of webviews/protocol.ts: its requests with their
// replies, and the host's events.  Types only.
import type { EncodedEdit } from '../../server/editor/maskDocument/editCodec';
import type { RegionMeta } from '../../server/editor/maskDocument/types';
import type { RegionClass } from '../../server/editor/regionsTypes';
import type { NoParams } from '../protocol';

/** Everything the webview needs to draw the document. */
export interface EditorState {
  width: number;
  height: number;
  /** The image, as the webview may load it (asWebviewUri). */
  imageUri: string;
  /** The label map (labelsCodec.ts: encodeLabelMap): its runs, or base64 of little-endian uint16, one value per pixel. */
  labels: string;
  regions: RegionMeta[];
  /** Descriptions to pick from: the image's object's classes, and those its regions already carry. */
  descriptions: string[];
  /** The classes a region of the image's object may get (never another object's). */
  classes: RegionClass[];
  /** Which files the regions are read from and saved to, for people. */
  files: string[];
  /** A region to select at once (opened from the review queue). */
  select?: number;
  /** What Review Labels found of a region (opened from the review queue). */
  review?: ReviewNote;
}

/** A region's label and the model's answers as Review Labels found them. */
export interface ReviewNote {
  /** The region's id in the editor. */
  region: number;
  /** Its label when it was reviewed. */
  truth: string;
  /** The model's answers, best first. */
  model: { text: string; probability: number }[];
  /** The model's folder. */
  bundle: string;
  /** The model's best answer is below its calibrated threshold: shown as uncertain, not as its reading. */
  uncertain?: boolean;
}

export interface Ranked {
  text: string;
  cosine: number;
  probability: number;
}

/** Webview -> host: each request, what it carries and the host's reply. */
export interface MaskEditorRequests {
  /** The whole document, asked on every load. */
  ready: { params: NoParams; reply: EditorState };
  /** A stroke, fill, merge… done in the webview; the host applies it and sends it back as an `edit` event. */
  edit: { params: { edit: EncodedEdit }; reply: null };
  undo: { params: NoParams; reply: null };
  redo: { params: NoParams; reply: null };
  describe: { params: { region: number; topK?: number }; reply: DescribeReply };
  /** The label of a region about to be drawn: the class last used on the object, else the user's pick; null when cancelled. */
  newRegionLabel: { params: NoParams; reply: RegionClass | null };
  /** A description that is no class of the object: the new class the user confirmed, or null. */
  newClass: { params: { description: string }; reply: RegionClass | null };
  chooseMask: { params: NoParams; reply: null };
}

/** Host -> webview. */
export type MaskEditorEvent =
  /** The whole document (revert, reload after a change on disk). */
  | { kind: 'state'; state: EditorState }
  /** An edit done or undone outside the webview's own stroke (VS Code's Undo/Redo). */
  | { kind: 'edit'; edit: EncodedEdit; direction: 'apply' | 'revert' }
  /** Select and show one region. */
  | { kind: 'select'; region: number }
  /** What Review Labels found of a region. */
  | { kind: 'review'; note: ReviewNote };

export interface DescribeReply {
  region: number;
  ranking: Ranked[];
  bundle: string;
  /** The best answer is below the uncertainty threshold: shown as the model's candidates, not its answer. */
  uncertain?: boolean;
  /** Milliseconds the server took. */
  ms: number;
}
