// @pure: detector.json, the description of a fitted anomaly detector (docs/detect.md): what it was
// fitted on, how its features are made, and per object its memory banks, threshold and calibration.
import type { PixelScore } from './anomalyMap';
import type { FeatureSettings } from './features';

export const DETECTOR_FORMAT = 'anomaly-lens-detector';
export const DETECTOR_FORMAT_VERSION = 1;
export const DETECTOR_MANIFEST = 'detector.json';

export interface DetectorSettings {
  features: FeatureSettings;
  /** How a pixel is scored from the nearest normal patches. */
  score: PixelScore;
  /** σ of the Gaussian smoothing of the map, in pixels. */
  smoothingSigma: number;
  coreset: { method: 'k-center-greedy'; ratio: number; projectionDims: number; seed: number };
  /** The false-positive rate on held-out normal pixels that the threshold allows. */
  fpr: number;
  /** Every `holdOutEvery`-th normal image (sorted by path) is kept out of the bank to calibrate on. */
  holdOutEvery: number;
  /** The split of the binary mask into regions (build's defaults). */
  split: { eps: number; minPts: number };
  /** Regions of fewer pixels are left out of the mask (specks of noise). */
  minRegionArea: number;
}

export interface NormalImage {
  /** Relative to the source folder, with `/`. */
  path: string;
  sha256: string;
  use: 'bank' | 'calibration';
}

export interface BankFile {
  /** Relative to the detector folder. */
  file: string;
  rows: number;
  dim: number;
  /** Patches of the bank images before the coreset kept `rows` of them. */
  patches: number;
}

export interface DetectorObject {
  name: string;
  width: number;
  height: number;
  channels: number;
  normals: NormalImage[];
  banks: BankFile[];
  threshold: number;
  calibration: {
    images: number;
    pixels: number;
    /** The target rate and the rate the threshold gives on the held-out pixels. */
    fpr: number;
    measuredFpr: number;
    /** The highest image score among the held-out normal images. */
    maxNormalScore: number;
  };
  fitSeconds: number;
}

export interface DetectorManifest {
  format: typeof DETECTOR_FORMAT;
  formatVersion: number;
  tool: string;
  created: string;
  bundle: { digest: string; dir: string };
  source: string;
  settings: DetectorSettings;
  objects: DetectorObject[];
}
