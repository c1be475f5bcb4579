// @pure: the sample dataset's defaults, the bounds of its options, its image counts per scale and
// the format its manifest (sample.json) declares, for the generator, the CLI, the server's checks
// and the extension's Create Sample.
export const SAMPLE_DEFAULTS = { seed: 1, scale: 1, size: 128 } as const;

export const SAMPLE_LIMITS = {
  maxSeed: 0xffffffff,
  /** The scale lies above 0, at most this. */
  maxScale: 50,
  minSize: 64,
  maxSize: 512,
} as const;

/** The `format` of sample.json, by which a folder is known to be a sample's output. */
export const SAMPLE_FORMAT = 'anomaly-lens-sample';

/** Images per object at scale 1. */
export const BASE_COUNTS = {
  /** AnomalyDiffusion-layout anomalous images (the train+val source). */
  synthetic: 240,
  /** MVTec-layout anomalous test images. */
  mvtecTest: 40,
  mvtecTestGood: 8,
  mvtecTrainGood: 12,
} as const;

/** The objects the sample draws (the catalog's; a test holds the two equal). */
export const SAMPLE_OBJECT_COUNT = 5;

export function scaledCount(base: number, scale: number): number {
  return Math.max(1, Math.round(base * scale));
}

/** The images a sample of `scale` holds: the AnomalyDiffusion-layout ones (train+val) and the MVTec-layout ones (test, and the good images). */
export function sampleImageCounts(scale: number): { synthetic: number; mvtec: number } {
  const mvtecPerObject = scaledCount(BASE_COUNTS.mvtecTest, scale) + scaledCount(BASE_COUNTS.mvtecTestGood, scale) + scaledCount(BASE_COUNTS.mvtecTrainGood, scale);
  return { synthetic: SAMPLE_OBJECT_COUNT * scaledCount(BASE_COUNTS.synthetic, scale), mvtec: SAMPLE_OBJECT_COUNT * mvtecPerObject };
}
