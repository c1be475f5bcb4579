// A dataset gives every (object, defect) class one description (dataset.json), and every region
// of the class carries it.  When the mask editor gives a region another description, the region
// moves to the object's class that has it, or to a new class made for it (recorded as curated in
// the mask editor), so the dataset stays valid.  The mask editor's saves name the descriptions the
// user confirmed as new classes, and any other description that is no class of the object is
// refused: no class is made silently.
import type { DatasetManifest, DescriptionEntry } from '../dataset/format';
import type { RegionRecord } from '../dataset/format';
import { UserError } from '../util/errors';
import { defectSlug } from './regionLabels';

export const EDITOR_PROVENANCE = 'anomaly-lens mask editor';

/**
 * The regions with their defects made consistent, and the manifest with any class they needed
 * added.  With `newClasses`, only those descriptions may make a class; any other that is no class
 * of the object is refused.
 */
export function reconcileClasses(
  manifest: DatasetManifest,
  object: string,
  regions: readonly RegionRecord[],
  newClasses?: readonly string[],
): { manifest: DatasetManifest; regions: RegionRecord[] } {
  const descriptions: DescriptionEntry[] = [...manifest.descriptions];
  const defects = [...manifest.defects];
  const out = regions.map((region) => {
    const own = descriptions.find((d) => d.object === object && d.defect === region.defect);
    if (own && own.text === region.description) return region;
    const byText = descriptions.find((d) => d.object === object && d.text === region.description);
    if (byText) return { ...region, defect: byText.defect };
    if (newClasses && !newClasses.includes(region.description)) {
      throw new UserError(
        `a region is described as "${region.description}", which is no class of ${object} in dataset.json; give it one of ${object}'s classes, or confirm it as a new class in the mask editor`,
      );
    }
    let defect = region.defect;
    if (own) {
      const base = defectSlug(region.description);
      defect = base;
      for (let k = 2; descriptions.some((d) => d.object === object && d.defect === defect); k++) defect = `${base}_${k}`;
    }
    descriptions.push({ object, defect, text: region.description, provenance: { kind: 'curated', file: EDITOR_PROVENANCE } });
    if (!defects.some((d) => d.object === object && d.defect === defect)) defects.push({ object, defect });
    return { ...region, defect };
  });
  return { manifest: { ...manifest, descriptions, defects }, regions: out };
}
