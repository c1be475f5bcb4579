// A built dataset as anomalib's Folder layout, one folder per object:
//   <object>/normal/<name>            normal images, copied from the dataset's sources
//   <object>/abnormal/<defect>/<name> the anomalous images
//   <object>/mask/<defect>/<stem>.png their masks (every region of the image, 0/255), named as
//                                     the image, so that Folder(normal_dir="normal",
//                                     abnormal_dir="abnormal", mask_dir="mask") pairs them.
// A built dataset keeps no normal image; they are read again from the sources dataset.json
// names (a source that is gone is reported, and its objects get no normal images).
import { promises as fs } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { regionPng } from '../../image/write';
import { errorMessage, type Problem } from '../../util/errors';
import type { Progress } from '../../util/progress';
import { resolveInsideReal } from '../../util/paths';
import { SPLITS } from '../manifestText';
import type { OpenedDataset } from '../open';
import { isGood, safeComponent } from '../plan';
import { readSource } from '../readers';
import { copyInto, withoutContentHash, writeInto } from './files';
import type { WrittenExport } from './coco';
import { regionPixels } from './regionPixels';

export const ANOMALIB_FOLDERS = { normal: 'normal', abnormal: 'abnormal', mask: 'mask' } as const;

/** The normal images of the dataset's objects in its sources, by object. */
async function normalImages(opened: OpenedDataset, problems: Problem[]): Promise<Map<string, { file: string; root: string }[]>> {
  const objects = new Set(opened.manifest.objects);
  const found = new Map<string, { file: string; root: string }[]>();
  for (const source of opened.manifest.sources) {
    try {
      const read = await readSource(source.root, { kind: source.kind });
      for (const sample of read.samples) {
        if (!isGood(sample) || !objects.has(sample.object)) continue;
        const list = found.get(sample.object) ?? [];
        list.push({ file: sample.image, root: read.root });
        found.set(sample.object, list);
      }
    } catch (err) {
      problems.push({ file: source.root, message: `cannot read this source of the dataset again for its normal images: ${errorMessage(err)}`, severity: 'warning' });
    }
  }
  return found;
}

/** A flat, unique name for a normal image: its path in its source, folders joined by '_'. */
function normalName(root: string, file: string): string {
  return safeComponent(relative(root, file).split(/[/\\]/).join('_'));
}

export async function writeAnomalib(dataset: string, opened: OpenedDataset, out: string, progress?: Progress, signal?: AbortSignal): Promise<WrittenExport & { normalImages: number }> {
  const problems: Problem[] = [];
  const normals = await normalImages(opened, problems);
  const records = SPLITS.flatMap((split) => opened.records[split]);
  const total = records.length + [...normals.values()].reduce((n, l) => n + l.length, 0);
  progress?.start(total, 'export');
  let images = 0;
  let regions = 0;
  for (const record of records) {
    signal?.throwIfAborted();
    const object = safeComponent(record.object);
    const defect = safeComponent(record.defect);
    const name = withoutContentHash(record.image).split('/').at(-1) as string;
    const stem = name.slice(0, name.length - extname(name).length);
    try {
      const pixels = new Set<number>();
      for (const region of record.regions) for (const i of (await regionPixels(dataset, region.mask)).pixels) pixels.add(i);
      const png = await regionPng(record.width, record.height, Uint32Array.from(pixels).sort());
      await copyInto(resolveInsideReal(dataset, record.image), out, `${object}/${ANOMALIB_FOLDERS.abnormal}/${defect}/${name}`);
      await writeInto(out, `${object}/${ANOMALIB_FOLDERS.mask}/${defect}/${stem}.png`, png);
      images++;
      regions += record.regions.length;
    } catch (err) {
      problems.push({ file: record.image, message: `cannot export this image: ${errorMessage(err)}; left out`, severity: 'error' });
    }
    progress?.tick(1, record.object);
  }
  let normalCount = 0;
  for (const [objectName, list] of normals) {
    for (const { file, root } of list) {
      signal?.throwIfAborted();
      try {
        await copyInto(file, out, `${safeComponent(objectName)}/${ANOMALIB_FOLDERS.normal}/${normalName(root, file)}`);
        normalCount++;
      } catch (err) {
        problems.push({ file, message: `cannot copy this normal image: ${errorMessage(err)}; left out`, severity: 'warning' });
      }
      progress?.tick(1, objectName);
    }
  }
  for (const object of opened.manifest.objects) {
    await fs.mkdir(join(out, safeComponent(object), ANOMALIB_FOLDERS.normal), { recursive: true });
    if (!normals.has(object)) problems.push({ file: dataset, message: `no normal image of ${object} found in the dataset's sources; ${safeComponent(object)}/${ANOMALIB_FOLDERS.normal} is empty, and anomalib's Folder needs normal images to train`, severity: 'warning' });
  }
  return { images, regions, categories: 0, normalImages: normalCount, objects: opened.manifest.objects, problems };
}
