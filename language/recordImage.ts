// The image of the split-file record under the cursor (one JSON record per line), confined to
// the dataset folder: how a record of train/val/test.jsonl opens in the mask editor.
import { dirname } from 'node:path';
import { confinedPath } from './confinedPath';

export function recordImageAt(splitFile: string, lineText: string): string | undefined {
  let record: unknown;
  try {
    record = JSON.parse(lineText);
  } catch {
    return undefined;
  }
  const image = (record as { image?: unknown } | null)?.image;
  if (typeof image !== 'string' || image === '') return undefined;
  return confinedPath(dirname(splitFile), image);
}
