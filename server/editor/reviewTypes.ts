// The review queue as the engine, the child server and the Review view share it. Types only.
import type { Split } from '../dataset/types';

export interface ReviewItem {
  split: Split;
  /** The image, absolute. */
  image: string;
  /** The record's image path, relative to the dataset root. */
  record: string;
  /** Index of the region in its record. */
  region: number;
  mask: string;
  object: string;
  defect: string;
  /** The region's ground-truth description. */
  truth: string;
  /** The bundle's top descriptions, best first. */
  model: { text: string; probability: number }[];
  /** The probability of the bundle's answer: how sure it is that the label is something else. */
  confidence: number;
  /** The bundle's answer is less probable than its calibrated threshold: a guess rather than a reading of the region. */
  uncertain?: boolean;
  /** The probability the bundle gives the label itself (0 when it is not in its top 3). */
  truthProbability: number;
  /** The version of the image's regions the bundle was asked about (regionsVersion.ts). */
  version: string;
}

export interface ReviewQueue {
  dataset: string;
  bundle: string;
  /** Regions looked at. */
  regions: number;
  /** Disagreements, most confident first. */
  items: ReviewItem[];
  /** Answered from the cache. */
  cached: boolean;
}
