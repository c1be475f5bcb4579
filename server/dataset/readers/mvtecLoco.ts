// MVTec LOCO AD's ground truth, read by the MVTec AD reader: an anomalous image
// `<object>/test/<defect>/<stem>.png` has a folder `<object>/ground_truth/<defect>/<stem>/` of
// mask images `000.png`, `001.png`, …, one per annotated defect, each holding its defect type's
// grey value (`<object>/defects_config.json`). `<defect>` is LOCO's kind of anomaly
// (`logical_anomalies`, `structural_anomalies`); the defect types come from the mask values.
import { basename, join } from 'node:path';
import type { SourceSample } from '../types';
import { readImageFolder, type SampleExtras } from './folders';
import { subdirs, type Entry } from './listing';
import { compareStrings, type ProblemLog } from './problems';

/** Whether a `ground_truth/<defect>` listing is LOCO's: a folder of masks per image rather than mask files. */
export function isLocoMaskListing(entries: readonly Entry[]): boolean {
  return entries.some((e) => e.kind === 'dir') && !entries.some((e) => e.kind === 'file' && !e.name.startsWith('.'));
}

/** The anomalous samples of `test/<defect>` with LOCO's mask folders, each image with all its masks. */
export async function readLocoDefectFolder(objectDir: string, defect: string, maskEntries: readonly Entry[], extra: SampleExtras, problems: ProblemLog): Promise<SourceSample[]> {
  const object = basename(objectDir);
  const imageDir = join(objectDir, 'test', defect);
  const maskDir = join(objectDir, 'ground_truth', defect);
  const images = await readImageFolder(imageDir, problems);
  if (!images) return [];
  const folders = subdirs(maskEntries);
  const samples: SourceSample[] = [];
  for (const [stem, image] of images.byKey) {
    const folder = folders.get(stem);
    if (!folder) {
      if (!images.blocked.has(stem)) problems.error(image, `image without masks: expected the folder ${join(maskDir, stem)} of its mask images (000.png, …)`, join(maskDir, stem));
      continue;
    }
    const files = await readImageFolder(folder.path, problems);
    if (!files) continue;
    const sorted = [...files.byKey.values()].sort(compareStrings);
    if (sorted.length === 0) {
      problems.error(folder.path, `holds no mask image for ${image}; image skipped`, image);
      continue;
    }
    samples.push({
      image,
      mask: sorted[0],
      ...(sorted.length > 1 ? { masks: sorted } : {}),
      object,
      defect,
      ...(extra.split ? { split: extra.split } : {}),
      ...(extra.classNames ? { classNames: extra.classNames } : {}),
    });
  }
  for (const [stem, folder] of folders) {
    if (images.byKey.has(stem) || images.blocked.has(stem)) continue;
    const want = join(imageDir, `${stem}.png`);
    problems.error(folder.path, `masks without image: expected ${basename(want)} at ${want}`, want);
  }
  return samples.sort((a, b) => compareStrings(a.image, b.image));
}
