// What Describe Region's panel shows of a result: the image's name, the model's, and each region
// with its number on the picture, where it came from and its answers. Pure.
import type { DescribeRegionsResult } from '../../server/rpc/protocol';
import type { DescribeView } from '../../webviews/describe/messages';
import { DEFAULT_UNCERTAIN_BELOW, isUncertain } from '../../server/model/confidence';

function baseName(file: string): string {
  return file.split(/[\\/]/).filter(Boolean).pop() ?? file;
}

function folderOf(file: string): string {
  const parts = file.split(/[\\/]/).filter(Boolean);
  return parts.slice(-3, -1).join('/');
}

/** `uncertainBelow`: the setting's threshold; null or absent: the one the server answered with (the bundle's). */
export function describeView(result: DescribeRegionsResult, bundleName: string, uncertainBelow?: number | null): DescribeView {
  const threshold = uncertainBelow ?? result.uncertainBelow ?? DEFAULT_UNCERTAIN_BELOW;
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
      const uncertain = isUncertain(region.ranking, threshold);
      return {
        id: i + 1,
        where,
        ...(note ? { note } : {}),
        ...(uncertain ? { uncertain: `uncertain: the best answer is below ${Math.round(threshold * 1000) / 10} %; its top candidates` } : {}),
        ranking: region.ranking.map((r) => ({ text: r.text, probability: r.probability, cosine: r.cosine })),
      };
    }),
    warnings: result.warnings,
  };
}
