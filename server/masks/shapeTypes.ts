// Regions drawn as shapes rather than painted in a mask (COCO and LabelMe annotations); types
// only, shared by the readers, the build and the protocol. Coordinates are in pixels, as COCO
// writes them: pixel (x, y) covers [x, x+1) × [y, y+1), so its centre is (x + 0.5, y + 0.5).

/** One piece of a drawn region; a region is the union of its pieces. */
export type ShapePart =
  /** A closed polygon, flat [x1, y1, x2, y2, …]; a pixel is inside when its centre is (even-odd rule). */
  | { kind: 'polygon'; points: number[] }
  /** COCO's run-length encoding (column-major, first run background), uncompressed counts, for an image of `height` × `width`. */
  | { kind: 'rle'; counts: number[]; height: number; width: number }
  /** A disc: the pixels whose centre lies within `r` of (cx, cy). */
  | { kind: 'circle'; cx: number; cy: number; r: number };

/** One region a source draws: its defect, the description the source gives it if any, and its shape. */
export interface DrawnRegion {
  defect: string;
  description?: string;
  parts: ShapePart[];
  /** Where the source draws it, for messages ("annotation 12", "shape 3"). */
  where: string;
}
