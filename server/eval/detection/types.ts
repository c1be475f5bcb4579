// @pure: the inputs of the detection metrics (what a detector gives for one image, beside its ground truth).

/** An anomaly map's values, one per pixel, row-major. */
export type ScoreMap = Float32Array | Float64Array;

/** An anomaly map beside the ground-truth mask of the same image. */
export interface ScoredMask {
  width: number;
  height: number;
  /** The anomaly map at the mask's size (higher = more anomalous). */
  map: ScoreMap;
  /** The ground-truth mask: non-zero = anomalous pixel; all zero for a normal image. */
  mask: ArrayLike<number>;
}

/** A region of an image with the words given to it (the ground truth's, or the describer's best answer). */
export interface DescribedRegion {
  /** Pixel indices (y * width + x), strictly ascending, as `masks/types.ts`'s Region. */
  pixels: ArrayLike<number>;
  description: string;
}

/** Everything the detection metrics need about one evaluated image. */
export interface DetectionImage extends ScoredMask {
  object: string;
  /** The detector's image score (higher = more anomalous). */
  score: number;
  /** Ground-truth regions (the dataset's split of the mask) with their descriptions. */
  truth: readonly DescribedRegion[];
  /** The detector's proposed regions with the describer's answer for each. */
  proposed: readonly DescribedRegion[];
}
