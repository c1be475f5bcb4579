// The image of the split-file record under the cursor (one JSON record per line), confined to
// the dataset folder: how a record of train/val/test.jsonl opens in the mask editor.
import { dirname } from 'node:path';
import { resolveInside } from '../../server/util/paths';

export function recordImageAt(splitFile: string, lineText: string): string | undefined {
  let record: unknown;
  try {
    record = JSON.parse(lineText);
  } catch {
    return undefined;
  }
  const image = (record as { image?: unknown } | null)?.image;
  if (typeof image !== 'string' || image === '') return undefined;
  try {
    return resolveInside(dirname(splitFile), image);
  } catch {
    return undefined;
  }
}
