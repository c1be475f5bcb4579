export { Predictor, type PredictorOptions, type RegionDescription, type RegionDesignation } from './predictor';
export { loadBundle, readManifest, validateManifest, BUNDLE_FORMAT_VERSION, BUNDLE_MANIFEST, type BundleManifest, type LoadedBundle } from './bundle';
export { DEFAULT_UNCERTAIN_BELOW, isUncertain, temperatureOf, uncertainBelowOf } from './confidence';
export { type CandidateSet, type RankedDescription, rankCandidates, l2NormaliseRows } from './embeddings';
export { type EncoderOptions, type ImageInput } from './encoders';
export {
  CLIP_PREPROCESS,
  type Designation,
  type MaskValues,
  type PreprocessConfig,
  type Preprocessed,
  preprocessFile,
  preprocessArrays,
} from './preprocess';
