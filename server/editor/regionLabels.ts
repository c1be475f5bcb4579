// @pure: which label a region may get, asked by the engine, the extension host and the webview.
// Which label a region of the mask editor may get: a class of its own object (a built dataset's
// descriptions of that object, a class-id mask's classes, a mask folder's defect), never another
// object's.  A new region takes the class last used on its object, else the user is asked; a
// description that is no class of the object becomes a new class only when the user confirms it.
// Pure: the server (which checks a save), the extension host (which asks) and the webview (which
// lists the suggestions) share it.
import type { RegionMeta } from './maskDocument/types';
import type { RegionClass, RegionsSource } from './regionsTypes';

export type { RegionClass };

/** The object whose classes a region of this source may get ('' when nothing names one). */
export function sourceObject(source: RegionsSource): string {
  if (source.kind === 'dataset') return source.record.object;
  if (source.kind === 'mask') return source.object;
  return '';
}

/** The class with this description, if the object has one. */
export function findClass(classes: readonly RegionClass[], description: string): RegionClass | undefined {
  const text = description.trim();
  return classes.find((c) => c.description === text);
}

/** The descriptions to offer: the object's classes, then any other its regions already carry. */
export function classSuggestions(classes: readonly RegionClass[], regions: readonly RegionMeta[]): string[] {
  return [...new Set([...classes.map((c) => c.description), ...regions.map((r) => r.description)].filter((t) => t.trim() !== ''))];
}

/** A new region's label without asking: the class last used on the object, while it is one of the object's classes. */
export function labelForNewRegion(last: RegionClass | undefined, classes: readonly RegionClass[]): RegionClass | undefined {
  if (!last) return undefined;
  const known = classes.find((c) => c.description === last.description && c.defect === last.defect && c.classId === last.classId);
  return known ? { ...known } : undefined;
}

/** A short class name for a description: `oily smear on part` -> `oily_smear_on_part`. */
export function defectSlug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 48) || 'anomaly';
}

/** The class a confirmed new description makes: its slug, numbered when the object already has a class of that name. */
export function newClass(classes: readonly RegionClass[], description: string): RegionClass {
  const text = description.trim();
  const base = defectSlug(text);
  let defect = base;
  for (let k = 2; classes.some((c) => c.defect === defect); k++) defect = `${base}_${k}`;
  return { defect, description: text };
}
