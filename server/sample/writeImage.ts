// One image of the sample dataset, drawn, encoded and written: the unit of work that the
// worker threads (or the main thread) run.
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';
import { SAMPLE_OBJECTS } from './catalog';
import { drawImage } from './compose';
import type { DefectType } from './defects';
import { encodeMask, encodeRgb } from './encode';
import { imagePath, maskPath, type FolderRef } from './layout';

export interface ImageTask {
  out: string;
  size: number;
  ref: FolderRef;
  index: number;
  defects: DefectType[];
  seed: number;
}

export async function writeSampleImage(task: ImageTask): Promise<void> {
  const object = SAMPLE_OBJECTS.find((o) => o.name === task.ref.object);
  if (!object) throw new Error(`unknown sample object ${task.ref.object}`);
  const drawn = drawImage(object, task.defects, task.size, task.seed);
  const format = task.ref.layout === 'synthetic' ? 'jpeg' : 'png';
  const writes = [encodeRgb(drawn.rgb, task.size, format).then((data) => writeFileAtomic(join(task.out, imagePath(task.ref, task.index)), data))];
  if (drawn.mask) writes.push(encodeMask(drawn.mask, task.size).then((data) => writeFileAtomic(join(task.out, maskPath(task.ref, task.index)), data)));
  await Promise.all(writes);
}
