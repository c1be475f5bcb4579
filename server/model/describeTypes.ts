// What describing designated regions answers, shared by the engine, the command line and the
// child server's protocol.  Types only.

/** Where a described region came from. */
export type RegionSource =
  | { kind: 'mask'; file: string }
  | {
      kind: 'region-of';
      file: string;
      index: number;
      of: number;
      bbox: [number, number, number, number];
      area: number;
      /** A class-id mask's: the region's mask value, the defect its class map names (absent for a value it does not name), and that map. */
      classId?: number;
      defect?: string;
      classMap?: string;
    }
  | { kind: 'pixels'; index: number; area: number }
  | { kind: 'whole-image'; reason: string };

export interface DescribedRegion {
  source: RegionSource;
  /** The designation was empty: the whole image was described. */
  wholeImage: boolean;
  /** The region lies outside the centred square the model sees. */
  outsideCrop: boolean;
  /** Best first; probabilities calibrated with the bundle's temperature. */
  ranking: { text: string; cosine: number; probability: number }[];
  /** The best answer's probability is below the threshold: its top candidates are shown, none stated. */
  uncertain?: boolean;
}

export interface DescribeImageResult {
  image: string;
  bundle: string;
  /** The confidence below which an answer is uncertain, and the temperature the probabilities were scaled by. */
  uncertainBelow?: number;
  temperature?: number;
  regions: DescribedRegion[];
  warnings: string[];
}
