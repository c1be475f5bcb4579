// A dataset gives every (object, defect) class one description (dataset.json), and every region
// of the class carries it.  When the mask editor gives a region another description, the region
// moves to the object's class that has it, or to a new class made for it (recorded as curated in
// the mask editor), so the dataset stays valid.
import type { DatasetManifest, DescriptionEntry } from '../dataset/format';
import type { RegionRecord } from '../dataset/format';

export const EDITOR_PROVENANCE = 'anomaly-lens mask editor';

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 48) || 'anomaly';
}

/** The regions with their defects made consistent, and the manifest with any class they needed added. */
export function reconcileClasses(manifest: DatasetManifest, object: string, regions: readonly RegionRecord[]): { manifest: DatasetManifest; regions: RegionRecord[] } {
  const descriptions: DescriptionEntry[] = [...manifest.descriptions];
  const defects = [...manifest.defects];
  const out = regions.map((region) => {
    const own = descriptions.find((d) => d.object === object && d.defect === region.defect);
    if (own && own.text === region.description) return region;
    const byText = descriptions.find((d) => d.object === object && d.text === region.description);
    if (byText) return { ...region, defect: byText.defect };
    let defect = region.defect;
    if (own) {
      const base = slug(region.description);
      defect = base;
      for (let k = 2; descriptions.some((d) => d.object === object && d.defect === defect); k++) defect = `${base}_${k}`;
    }
    descriptions.push({ object, defect, text: region.description, provenance: { kind: 'curated', file: EDITOR_PROVENANCE } });
    if (!defects.some((d) => d.object === object && d.defect === defect)) defects.push({ object, defect });
    return { ...region, defect };
  });
  return { manifest: { ...manifest, descriptions, defects }, regions: out };
}
