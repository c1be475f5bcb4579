// @pure: the sample dataset's defaults and the bounds of its options, for the generator, the CLI
// and the server's checks.
export const SAMPLE_DEFAULTS = { seed: 1, scale: 1, size: 128 } as const;

export const SAMPLE_LIMITS = {
  maxSeed: 0xffffffff,
  /** The scale lies above 0, at most this. */
  maxScale: 50,
  minSize: 64,
  maxSize: 512,
} as const;
