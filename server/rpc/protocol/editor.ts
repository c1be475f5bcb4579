// @pure: the child server's protocol (index.ts).
// The child server's protocol (see index.ts): the mask editor's regions and the review queue.
import { RequestType } from 'vscode-jsonrpc';
import type { RegionsDocument, RegionsSource } from '../../editor/regionsTypes';
import type { ReviewItem, ReviewQueue } from '../../editor/reviewTypes';
import type { ProgressToken } from './jobs';

// The mask editor: anomalyLens/loadRegions reads an image's regions (found by the dataset's
// conventions, or from `mask`) as a label map; anomalyLens/saveRegions writes them back (a built
// dataset through its lock and switch, a source mask in place). Label maps travel as the base64
// of little-endian uint16 values, one per pixel (0 = no region, else the region's id), or as
// their runs when that is shorter (server/editor/labelsCodec.ts: encodeLabelMap).

export interface LoadRegionsParams {
  image: string;
  /** A mask file to edit instead of the one the conventions find. */
  mask?: string;
}

export type LoadRegionsResult = RegionsDocument;

export const LoadRegionsRequest = new RequestType<LoadRegionsParams, LoadRegionsResult, void>('anomalyLens/loadRegions');

/**
 * The document as loadRegions gave it, with the edited labels and regions; its `version` is the
 * one it was read at (refused with StaleVersion when the regions moved on since; absent only for
 * a save into a file the user chose).
 */
export type SaveRegionsParams = RegionsDocument & {
  /** Descriptions the user confirmed as new classes of the image's object; any other that is no class of it is refused. */
  newClasses?: string[];
};

export interface SaveRegionsResult {
  /** The files written. */
  files: string[];
  /** Where the regions live now (a built dataset's record names the new mask files). */
  source: RegionsSource;
  /** The version of the regions as saved. */
  version?: string;
}

export const SaveRegionsRequest = new RequestType<SaveRegionsParams, SaveRegionsResult, void>('anomalyLens/saveRegions');

// ---------------------------------------------------------------------------------------------
// The review queue (a job): every region of a built dataset whose label the bundle disagrees with,
// most confident first; cached per bundle. anomalyLens/relabelRegion gives one region another
// description (the model's), through the mask editor's save.

export interface ReviewQueueParams {
  dataset: string;
  /** Default: the embedded default bundle. */
  bundle?: string;
  splits?: ('train' | 'val' | 'test')[];
  jobId?: string;
  progressToken?: ProgressToken;
}

export type { ReviewItem, ReviewQueue };

export const ReviewQueueRequest = new RequestType<ReviewQueueParams, ReviewQueue, void>('anomalyLens/reviewQueue');

export interface RelabelRegionParams {
  image: string;
  /** Index of the region in its record. */
  region: number;
  description: string;
  /** The version of the image's regions the caller read (a review item's); refused with StaleVersion when they moved on. */
  version?: string;
}

export interface RelabelRegionResult {
  /** The version of the image's regions after the relabel. */
  version: string;
}

export const RelabelRegionRequest = new RequestType<RelabelRegionParams, RelabelRegionResult, void>('anomalyLens/relabelRegion');
