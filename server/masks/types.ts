/**
 * A decoded mask: one value per pixel, row-major.  `values` keeps the original grey
 * level (or class id) so that class-id masks can be split per class.
 */
export interface LabelMask {
  width: number;
  height: number;
  /** Per-pixel value; 0 = background.  For binary masks foreground is 1. */
  values: Uint16Array;
}

export type SplitMode = 'dbscan' | 'cc4' | 'cc8';

/** A mask file to split into its regions (`anomaly-lens split`, anomalyLens/splitMask); absent options take the split's defaults. */
export interface SplitMaskParams {
  mask: string;
  /** Default 'dbscan'. */
  mode?: SplitMode;
  /** DBSCAN radius in pixels (default 1.5). */
  eps?: number;
  /** DBSCAN core-point threshold, the pixel itself included (default 1). */
  minPts?: number;
  /** Drop regions with fewer pixels (default 0). */
  minArea?: number;
  /** Mask values above it are anomaly (default 0; 127 for JPEG masks). */
  threshold?: number;
  /** The mask holds class ids: split each value separately. */
  classIds?: boolean;
}

export interface SplitOptions {
  mode: SplitMode;
  /** DBSCAN neighbourhood radius in pixels (strictly-less-than, as density-clustering). */
  eps: number;
  /** DBSCAN core-point threshold, the point itself included. */
  minPts: number;
  /** Regions with fewer pixels are dropped (reported as `dropped`). */
  minArea: number;
  /** Split each class id separately (class-id masks); otherwise all non-zero is one class. */
  perClass: boolean;
}

export interface Region {
  /** Pixel indices (y * width + x), ascending. */
  pixels: Uint32Array;
  area: number;
  /** [x, y, width, height] of the tightest box. */
  bbox: [number, number, number, number];
  /** The mask value the region came from, for class-id masks. */
  classId?: number;
}

export interface SplitResult {
  width: number;
  height: number;
  regions: Region[];
  /** Foreground pixels that DBSCAN left in no cluster. */
  noise: number;
  /** Regions removed by `minArea`. */
  dropped: number;
}
