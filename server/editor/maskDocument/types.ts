// The mask document every side holds: the engine (which reads and saves the mask files), the
// extension host (which owns the document and its undo stack through VS Code's edit events) and
// the webview (which draws it and proposes edits).  Pure data, no Node and no `vscode`.

/** A region's own facts besides its pixels. */
export interface RegionMeta {
  /** 1…65535; the value of the region's pixels in the label map. */
  id: number;
  defect: string;
  description: string;
  /** The class id written for the region when the dataset stores class-id masks. */
  classId?: number;
}

/** Pixels whose label changes: `indices[k]` goes from `before[k]` to `after[k]` (0 = no region). */
export interface LabelChange {
  indices: Uint32Array;
  before: Uint16Array;
  after: Uint16Array;
}

export type EditKind = 'paint' | 'erase' | 'polygon' | 'fill' | 'merge' | 'split' | 'delete' | 'describe' | 'create';

/**
 * One undoable edit (one stroke, one fill, one merge…).  `regionsBefore` / `regionsAfter` hold
 * the metadata of every region the edit touches as it was and as it becomes (a region missing
 * from one side did not exist there), so that applying and reverting are exact inverses.
 */
export interface MaskEdit {
  kind: EditKind;
  /** For people: "Brush on region 2", shown in VS Code's undo list. */
  label: string;
  pixels?: LabelChange;
  regionsBefore: RegionMeta[];
  regionsAfter: RegionMeta[];
}

/** Area and tightest box `[x, y, w, h]` of a region; bbox undefined when it has no pixel. */
export interface RegionFacts {
  id: number;
  area: number;
  bbox?: [number, number, number, number];
}
