// Giving one region of a built dataset another description (the review queue's "take the model's
// answer"): the same load, edit and save as the mask editor, so the class bookkeeping, the lock
// and the switch are the editor's.  Given the version of the image's regions the caller read, it
// is refused when they moved on since (the region may be another one now, or relabelled already).
import { join } from 'node:path';
import { splitFile } from '../dataset/manifest';
import { UserError } from '../util/errors';
import { findRegionsSource, loadImageRegions, saveImageRegions } from './imageRegions';
import { checkBase, recordVersion } from './regionsVersion';

/** Relabels region `region` (its index in the record); answers the version of the regions after it. */
export async function relabelRegion(image: string, region: number, description: string, base?: string): Promise<string> {
  const source = await findRegionsSource(image);
  if (source.kind !== 'dataset') throw new UserError('the image is not in a built dataset', image);
  const read = recordVersion(source.split, source.record);
  checkBase(base, read, image, join(source.root, splitFile(source.split)));
  const loaded = await loadImageRegions(image, source);
  const meta = loaded.model.regions()[region];
  if (!meta) throw new UserError(`the record has no region ${region + 1}`, image);
  const edit = loaded.model.describe(meta.id, { description });
  if (!edit) return read;
  loaded.model.apply(edit);
  return (await saveImageRegions({ ...loaded, version: read })).version ?? read;
}
