// Files of the installed-VSIX session's workspace (relative to it): a sample written by
// `anomaly-lens sample --scale 0.05 --seed 1`, and the repository build's answer for the region.
export const SAMPLE_IMAGE = 'sample/mvtec/plate/test/combined/000.png';
export const SAMPLE_MASK = 'sample/mvtec/plate/ground_truth/combined/000_mask.png';
export const EXPECTED_FILE = 'expected-describe.json';
