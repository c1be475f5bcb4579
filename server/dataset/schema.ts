// @pure: the shape checks of dataset.json and of split records, run by the engine and the extension.
// Shape checks for dataset.json and the jsonl image records (docs/dataset.md), run on the tables in
// manifestShape.ts. Each check returns readable messages ("regions[2].bbox: expected
// [x, y, width, height] of non-negative integers, got [0,0,0,1]"), empty when valid.
import { checkShape, expectedMessage, shapeFailures } from '../util/jsonShape';
import { DATASET_FORMAT_VERSION } from './formatVersion';
import { DATASET_MANIFEST_SHAPE, IMAGE_RECORD_SHAPE } from './manifestShape';

/** Checks one line of a split's jsonl file. */
export function checkImageRecord(value: unknown): string[] {
  return checkShape(IMAGE_RECORD_SHAPE, value);
}

/** Checks the parsed dataset.json. */
export function checkManifest(value: unknown): string[] {
  return shapeFailures(DATASET_MANIFEST_SHAPE, value).map((failure) =>
    // The version's message shows an absent version as null, where other fields say "got nothing".
    failure.path[0] === 'formatVersion' ? `formatVersion: expected ${DATASET_FORMAT_VERSION}, got ${JSON.stringify(failure.value ?? null)}` : expectedMessage(failure),
  );
}
