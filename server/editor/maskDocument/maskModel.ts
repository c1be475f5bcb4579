// @pure: the mask document's model, held by the engine, the extension host and the webview.
// The regions of one image as a label map (each pixel in at most one region, as the regions of
// a split mask are), their metadata, and the edits between states.  Edits are built from the
// current state without changing it, then applied; reverting an applied edit restores the
// state exactly, which is what undo and redo need.
import { splitMask } from '../../masks/split';
import type { SplitMode } from '../../masks/types';
import type { LabelChange, MaskEdit, RegionFacts, RegionMeta } from './types';

export const MAX_REGION_ID = 0xffff;

export class MaskModel {
  readonly labels: Uint16Array;
  private readonly metas = new Map<number, RegionMeta>();

  constructor(
    readonly width: number,
    readonly height: number,
    labels?: Uint16Array,
    regions: readonly RegionMeta[] = [],
  ) {
    if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) throw new RangeError(`bad mask size ${width}x${height}`);
    this.labels = labels ?? new Uint16Array(width * height);
    if (this.labels.length !== width * height) throw new RangeError(`label map has ${this.labels.length} values for ${width}x${height} pixels`);
    for (const meta of regions) this.metas.set(meta.id, { ...meta });
  }

  /** Regions in id order. */
  regions(): RegionMeta[] {
    return [...this.metas.values()].sort((a, b) => a.id - b.id).map((m) => ({ ...m }));
  }

  region(id: number): RegionMeta | undefined {
    const meta = this.metas.get(id);
    return meta ? { ...meta } : undefined;
  }

  /** The smallest unused id. */
  nextId(): number {
    for (let id = 1; id <= MAX_REGION_ID; id++) if (!this.metas.has(id)) return id;
    throw new RangeError('no region id left');
  }

  /** Area and box of every region, in one pass over the label map. */
  facts(): RegionFacts[] {
    const boxes = new Map<number, { area: number; x0: number; y0: number; x1: number; y1: number }>();
    for (const id of this.metas.keys()) boxes.set(id, { area: 0, x0: this.width, y0: this.height, x1: -1, y1: -1 });
    const { width, labels } = this;
    // Zeros, most of a label map, are passed over four at a time: +0 as one float64, or -0 when
    // the last of the four is 0x8000, which that label tells apart.
    const words = labels.byteOffset % 8 === 0 ? new Float64Array(labels.buffer, labels.byteOffset, labels.length >> 2) : undefined;
    for (let i = 0; i < labels.length; i++) {
      if (words && (i & 3) === 0 && i + 4 <= labels.length && words[i >> 2] === 0 && labels[i + 3] === 0) {
        i += 3;
        continue;
      }
      const id = labels[i];
      if (id === 0) continue;
      const b = boxes.get(id);
      if (!b) continue;
      const x = i % width;
      const y = (i - x) / width;
      b.area++;
      if (x < b.x0) b.x0 = x;
      if (x > b.x1) b.x1 = x;
      if (y < b.y0) b.y0 = y;
      if (y > b.y1) b.y1 = y;
    }
    return [...boxes.entries()]
      .sort(([a], [b]) => a - b)
      .map(([id, b]) => ({ id, area: b.area, ...(b.area > 0 ? { bbox: [b.x0, b.y0, b.x1 - b.x0 + 1, b.y1 - b.y0 + 1] as [number, number, number, number] } : {}) }));
  }

  /** Pixel indices of one region, ascending. */
  pixelsOf(id: number): Uint32Array {
    const out: number[] = [];
    for (let i = 0; i < this.labels.length; i++) if (this.labels[i] === id) out.push(i);
    return Uint32Array.from(out);
  }

  apply(edit: MaskEdit): void {
    this.swap(edit, 'after');
  }

  revert(edit: MaskEdit): void {
    this.swap(edit, 'before');
  }

  private swap(edit: MaskEdit, to: 'before' | 'after'): void {
    const { pixels } = edit;
    if (pixels) {
      const values = to === 'after' ? pixels.after : pixels.before;
      for (let k = 0; k < pixels.indices.length; k++) this.labels[pixels.indices[k]] = values[k];
    }
    const leaving = to === 'after' ? edit.regionsBefore : edit.regionsAfter;
    const arriving = to === 'after' ? edit.regionsAfter : edit.regionsBefore;
    for (const meta of leaving) this.metas.delete(meta.id);
    for (const meta of arriving) this.metas.set(meta.id, { ...meta });
  }

  // ---- edit builders: each returns the edit for the current state, changing nothing ----

  /** A new empty region (its pixels come with later strokes). */
  create(meta: Omit<RegionMeta, 'id'>, id = this.nextId()): MaskEdit {
    if (this.metas.has(id)) throw new RangeError(`region ${id} exists`);
    return { kind: 'create', label: `New region ${id}`, regionsBefore: [], regionsAfter: [{ id, ...meta }] };
  }

  /**
   * A new region with its first pixels (a stroke, polygon or fill with no region selected) as one
   * edit, so that undoing it removes the region and not only its pixels; pixels of other regions
   * move to it.  Undefined when no pixel is given.
   */
  draw(meta: Omit<RegionMeta, 'id'>, indices: Iterable<number>, kind: 'paint' | 'polygon' | 'fill' = 'paint', id = this.nextId()): MaskEdit | undefined {
    if (this.metas.has(id)) throw new RangeError(`region ${id} exists`);
    const change = this.change(indices, () => id);
    if (!change) return undefined;
    const what = kind === 'paint' ? 'Brush' : kind === 'polygon' ? 'Polygon' : 'Fill';
    return { kind: 'create', label: `${what}: new region ${id}`, pixels: change, regionsBefore: [], regionsAfter: [{ id, ...meta }] };
  }

  /**
   * Gives `indices` to region `id` (brush, polygon, flood fill, magic wand): pixels of other
   * regions move to it.  Undefined when nothing would change.
   */
  paint(id: number, indices: Iterable<number>, kind: 'paint' | 'polygon' | 'fill' = 'paint'): MaskEdit | undefined {
    const meta = this.metas.get(id);
    if (!meta) throw new RangeError(`no region ${id}`);
    const change = this.change(indices, (old) => (old === id ? undefined : id));
    if (!change) return undefined;
    const what = kind === 'paint' ? 'Brush' : kind === 'polygon' ? 'Polygon' : 'Fill';
    return { kind, label: `${what} on region ${id}`, pixels: change, regionsBefore: [], regionsAfter: [] };
  }

  /** Removes `indices` from region `only` (or from every region). */
  erase(indices: Iterable<number>, only?: number): MaskEdit | undefined {
    const change = this.change(indices, (old) => (old !== 0 && (only === undefined || old === only) ? 0 : undefined));
    if (!change) return undefined;
    return { kind: 'erase', label: only === undefined ? 'Eraser' : `Eraser on region ${only}`, pixels: change, regionsBefore: [], regionsAfter: [] };
  }

  /** Merges the regions into the first one given (its description stays). */
  merge(ids: readonly number[]): MaskEdit {
    const [into, ...rest] = [...new Set(ids)];
    if (rest.length === 0) throw new RangeError('merging needs two regions or more');
    for (const id of ids) if (!this.metas.has(id)) throw new RangeError(`no region ${id}`);
    const from = new Set(rest);
    const change = this.changeWhere((old) => from.has(old), () => into);
    return {
      kind: 'merge',
      label: `Merge regions ${[into, ...rest].join(', ')}`,
      ...(change ? { pixels: change } : {}),
      regionsBefore: rest.map((id) => ({ ...(this.metas.get(id) as RegionMeta) })),
      regionsAfter: [],
    };
  }

  /**
   * Splits a region into its parts with the engine's own region splitting (DBSCAN, or connected
   * components): the first part keeps the id, the others get new ids and the same metadata.
   */
  split(id: number, options: { mode?: SplitMode; eps: number; minPts: number }): MaskEdit | undefined {
    const meta = this.metas.get(id);
    if (!meta) throw new RangeError(`no region ${id}`);
    const values = new Uint16Array(this.labels.length);
    for (let i = 0; i < values.length; i++) if (this.labels[i] === id) values[i] = 1;
    const parts = splitMask({ width: this.width, height: this.height, values }, { mode: options.mode ?? 'dbscan', eps: options.eps, minPts: options.minPts, minArea: 0, perClass: false });
    if (parts.regions.length + (parts.noise > 0 ? 1 : 0) <= 1) return undefined;
    const target = new Map<number, number>();
    const created: RegionMeta[] = [];
    const taken = new Set(this.metas.keys());
    parts.regions.forEach((region, k) => {
      let newId = id;
      if (k > 0) {
        newId = 1;
        while (taken.has(newId)) newId++;
        if (newId > MAX_REGION_ID) throw new RangeError('no region id left');
        taken.add(newId);
        created.push({ ...meta, id: newId });
      }
      for (const i of region.pixels) target.set(i, newId);
    });
    // Noise pixels (DBSCAN leaves them in no cluster) leave the region.
    const change = this.changeWhere((old, i) => old === id && target.get(i) !== id, (i) => target.get(i) ?? 0);
    return { kind: 'split', label: `Split region ${id} into ${parts.regions.length}`, ...(change ? { pixels: change } : {}), regionsBefore: [], regionsAfter: created };
  }

  delete(id: number): MaskEdit {
    const meta = this.metas.get(id);
    if (!meta) throw new RangeError(`no region ${id}`);
    const change = this.changeWhere((old) => old === id, () => 0);
    return { kind: 'delete', label: `Delete region ${id}`, ...(change ? { pixels: change } : {}), regionsBefore: [{ ...meta }], regionsAfter: [] };
  }

  /** A new defect class and/or description for a region. */
  describe(id: number, update: { defect?: string; description?: string; classId?: number }): MaskEdit | undefined {
    const meta = this.metas.get(id);
    if (!meta) throw new RangeError(`no region ${id}`);
    const next: RegionMeta = { ...meta, ...update };
    if (next.defect === meta.defect && next.description === meta.description && next.classId === meta.classId) return undefined;
    return { kind: 'describe', label: `Describe region ${id}`, regionsBefore: [{ ...meta }], regionsAfter: [next] };
  }

  private change(indices: Iterable<number>, relabel: (old: number) => number | undefined): LabelChange | undefined {
    const seen = new Set<number>();
    const idx: number[] = [];
    const before: number[] = [];
    const after: number[] = [];
    const size = this.labels.length;
    for (const i of indices) {
      if (!(i >= 0 && i < size) || seen.has(i)) continue;
      seen.add(i);
      const old = this.labels[i];
      const next = relabel(old);
      if (next === undefined || next === old) continue;
      idx.push(i);
      before.push(old);
      after.push(next);
    }
    return idx.length > 0 ? { indices: Uint32Array.from(idx), before: Uint16Array.from(before), after: Uint16Array.from(after) } : undefined;
  }

  private changeWhere(match: (old: number, i: number) => boolean, relabel: (i: number) => number): LabelChange | undefined {
    const idx: number[] = [];
    const before: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < this.labels.length; i++) {
      const old = this.labels[i];
      if (!match(old, i)) continue;
      const next = relabel(i);
      if (next === old) continue;
      idx.push(i);
      before.push(old);
      after.push(next);
    }
    return idx.length > 0 ? { indices: Uint32Array.from(idx), before: Uint16Array.from(before), after: Uint16Array.from(after) } : undefined;
  }
}
