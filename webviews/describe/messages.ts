// Describe Region's result panel: its requests with their replies, and the host's event, in the
// envelope of webviews/protocol.ts. Types only.
import type { DescribeRegionsResult } from '../../server/rpc/protocol';
import type { NoParams } from '../protocol';

export const DESCRIBE_VIEW_TYPE = 'anomalyLens.describeResult';

/** One described region as the panel lists it. */
export interface DescribedRegionView {
  /** Its number on the picture (1, 2, …), which also picks its colour. */
  id: number;
  /** Where it came from, for people: "region 2 of 3 · area 107 px", a mask's name, "whole image". */
  where: string;
  /** The model saw only part of it, or the whole image. */
  note?: string;
  /** Present when the best answer is below the uncertainty threshold: what to say instead of an answer. */
  uncertain?: string;
  ranking: { text: string; probability: number; cosine: number }[];
}

/** What the panel shows. */
export interface DescribeView {
  /** The image's file name and its folder, for the title. */
  imageName: string;
  imageFolder: string;
  /** The model's folder name (or "the embedded default model"). */
  bundleName: string;
  /** The image with the regions outlined and numbered (a data: URL), when the server drew it. */
  picture?: DescribeRegionsResult['picture'];
  regions: DescribedRegionView[];
  warnings: string[];
}

/** Webview -> host. */
export interface DescribeRequests {
  /** Asked on every load: what to show (null when the host no longer has it). */
  ready: { params: NoParams; reply: DescribeView | null };
  /** Opens the image in the mask editor, the region selected. */
  openInMaskEditor: { params: { region?: number }; reply: null };
}

/** Host -> webview: a new result for the same image. */
export type DescribeEvent = { kind: 'result'; view: DescribeView };

/** What the webview keeps (vscode.setState) to draw itself again when it is shown again. */
export interface DescribeState {
  view: DescribeView;
}
