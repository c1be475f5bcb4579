// Which image a dataset's region PNG belongs to (region masks are relative to its root). Which mask
// goes with an image by the source layouts' conventions is server/dataset/readers/layouts.ts.
import * as path from 'node:path';

/** A dataset record's image for a region PNG of that dataset. */
export function imageOfRegion(
  datasetRoot: string,
  regionFile: string,
  records: readonly { image: string; regions: readonly { mask: string }[] }[],
): { image: string; index: number } | undefined {
  const rel = path.relative(datasetRoot, regionFile).split(path.sep).join('/');
  for (const r of records) {
    const index = r.regions.findIndex((g) => g.mask === rel);
    if (index >= 0) return { image: path.join(datasetRoot, r.image), index };
  }
  return undefined;
}
