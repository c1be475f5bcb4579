// Reading one folder of images or masks into keyed files, the step every folder layout shares.
import type { SourceSample } from '../types';
import { stemOf } from './fileKinds';
import { listDir, type Entry } from './listing';
import { imageEntries, keyFiles, type KeyedFiles } from './pairing';
import type { ProblemLog } from './problems';
import { pushAll } from '../../util/arrays';

export const byStem = (entry: Entry): string => stemOf(entry.name);

/** A stem without a trailing `_mask` (MVTec AD's `000_mask.png` -> `000`). */
export const byMaskStem = (entry: Entry): string => stemOf(entry.name).replace(/_mask$/, '');

export const NO_FILES: KeyedFiles = { byKey: new Map(), blocked: new Set() };

/**
 * The image files of one folder keyed by `keyOf`; `undefined` when the folder cannot be
 * read (reported), no files when it does not exist and `missingOk`.
 */
export async function readImageFolder(
  dir: string,
  problems: ProblemLog,
  options: { keyOf?: (entry: Entry) => string; missingOk?: boolean } = {},
): Promise<KeyedFiles | undefined> {
  const entries = await listDir(dir, problems, { missingOk: options.missingOk });
  if (!entries) return undefined;
  return keyFiles(imageEntries(entries, problems), options.keyOf ?? byStem, problems);
}

export interface SampleExtras {
  split?: SourceSample['split'];
  classNames?: Record<number, string>;
}

function sample(image: string, mask: string | undefined, object: string, defect: string, extra: SampleExtras): SourceSample {
  return {
    image,
    ...(mask !== undefined ? { mask } : {}),
    object,
    defect,
    ...(extra.split ? { split: extra.split } : {}),
    ...(extra.classNames ? { classNames: extra.classNames } : {}),
  };
}

/** Normal (defect-free) samples, one per usable image. */
export function goodSamples(images: KeyedFiles, object: string, extra: SampleExtras = {}): SourceSample[] {
  return [...images.byKey.values()].map((image) => sample(image, undefined, object, 'good', extra));
}

/** Anomalous samples from image/mask pairs. */
export function defectSamples(pairs: readonly { image: string; mask: string }[], object: string, defect: string, extra: SampleExtras = {}): SourceSample[] {
  return pairs.map(({ image, mask }) => sample(image, mask, object, defect, extra));
}

/** Reads the folders one after another (bounded I/O) and joins their samples. */
export async function readEach<T>(items: readonly T[], read: (item: T) => Promise<SourceSample[]>): Promise<SourceSample[]> {
  const samples: SourceSample[] = [];
  for (const item of items) pushAll(samples, await read(item));
  return samples;
}
