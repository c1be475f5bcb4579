// @pure: the dataset format's version, for the engine and the extension (the trainer checks the same number).
/** The version of the on-disk dataset format (docs/dataset.md); the trainer checks the same number. */
export const DATASET_FORMAT_VERSION = 1;
