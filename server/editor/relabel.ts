// Giving one region of a built dataset another description (the review queue's "take the model's
// answer"): the same load, edit and save as the mask editor, so the class bookkeeping, the lock
// and the switch are the editor's.
import { UserError } from '../util/errors';
import { findRegionsSource, loadImageRegions, saveImageRegions } from './imageRegions';

export async function relabelRegion(image: string, region: number, description: string): Promise<void> {
  const source = await findRegionsSource(image);
  if (source.kind !== 'dataset') throw new UserError('the image is not in a built dataset', image);
  const loaded = await loadImageRegions(image, source);
  const meta = loaded.model.regions()[region];
  if (!meta) throw new UserError(`the record has no region ${region + 1}`, image);
  const edit = loaded.model.describe(meta.id, { description });
  if (!edit) return;
  loaded.model.apply(edit);
  await saveImageRegions(loaded);
}
