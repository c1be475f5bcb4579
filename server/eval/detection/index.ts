// @pure: detection metrics (docs/architecture.md, "Detection metrics"): image and pixel AUROC, AUPRO, region matching and rates.
export { auroc, aurocOfSorted, checkFinite, scoresByClass } from './auroc';
export { AUPRO_FPR_LIMIT, aupro, maskComponents } from './aupro';
export { checkScoredMask, pixelAuroc } from './pixelAuroc';
export { MIN_MATCH_IOU, type RegionMatch, intersectionSize, iou, matchRegions } from './regionMatch';
export { type RegionCounts, type RegionRates, NO_REGIONS, addCounts, regionCounts, regionRates } from './regionCounts';
export { type DetectionMean, type DetectionMetrics, type DetectionRow, detectionMetrics, detectionRow } from './detectionMetrics';
export { float32Keys, radixSort, sortedScores, sortedScoresWithIndex } from './sortScores';
export type { DescribedRegion, DetectionImage, ScoreMap, ScoredMask } from './types';
