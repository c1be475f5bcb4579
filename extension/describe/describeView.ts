// What Describe Region's panel shows of a result: the image's name, the model's, and each region
// with its number on the picture, where it came from and its answers. Pure.
import type { DescribeRegionsResult } from '../../server/rpc/protocol';
import type { DescribeView } from '../../webviews/describe/messages';

function baseName(file: string): string {
  return file.split(/[\\/]/).filter(Boolean).pop() ?? file;
}

function folderOf(file: string): string {
  const parts = file.split(/[\\/]/).filter(Boolean);
  return parts.slice(-3, -1).join('/');
}

export function describeView(result: DescribeRegionsResult, bundleName: string): DescribeView {
  return {
    imageName: baseName(result.image),
    imageFolder: folderOf(result.image),
    bundleName,
    ...(result.picture ? { picture: result.picture } : {}),
    regions: result.regions.map((region, i) => {
      const s = region.source;
      const where =
        s.kind === 'region-of' ? `region ${s.index + 1} of ${s.of} · ${s.area} px`
        : s.kind === 'mask' ? baseName(s.file)
        : s.kind === 'pixels' ? `region ${s.index + 1} · ${s.area} px`
        : `whole image (${s.reason})`;
      const note = region.wholeImage && s.kind !== 'whole-image' ? 'the region is empty: the whole image was described' : region.outsideCrop ? 'the region lies partly outside the centred square the model sees' : undefined;
      return { id: i + 1, where, ...(note ? { note } : {}), ranking: region.ranking.map((r) => ({ text: r.text, probability: r.probability, cosine: r.cosine })) };
    }),
    warnings: result.warnings,
  };
}
