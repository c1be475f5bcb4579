// Where an image's regions live, as the mask editor and the child server exchange it. Types only.
import type { ImageRecord } from '../dataset/format';
import type { Split } from '../dataset/types';
import type { RegionMeta } from './maskDocument/types';

/** A class a region of the image's object may be given (regionLabels.ts). */
export interface RegionClass {
  defect: string;
  description: string;
  /** The class's value in a class-id mask. */
  classId?: number;
}

export type RegionsSource =
  /**
   * A built dataset's record: one region mask per region; saved through the dataset's switch.
   * `descriptions` and `classes` are those of the record's object only.
   */
  | { kind: 'dataset'; root: string; split: Split; line: number; record: ImageRecord; descriptions: string[]; classes?: RegionClass[] }
  /** A source mask (MVTec ground truth; class ids when `classNames` is set); saved in place. */
  | { kind: 'mask'; mask: string; classNames?: Record<number, string>; defect: string; object: string; classes?: RegionClass[] }
  /** No mask found: the editor starts empty and asks for a file on save. */
  | { kind: 'none' };

/**
 * An image's regions as they travel between the server, the extension host and its backups: the
 * label map as the base64 of little-endian uint16 values (0 = no region, else the region's id).
 */
export interface RegionsDocument {
  image: string;
  width: number;
  height: number;
  source: RegionsSource;
  labels: string;
  regions: RegionMeta[];
  /** The version of the regions this document was read at (regionsVersion.ts); a save from it is refused once they move on. */
  version?: string;
}

export type { RegionMeta };
