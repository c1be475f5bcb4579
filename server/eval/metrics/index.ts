// All evaluation metrics of a set of prediction records (pure).
import type { RegionPrediction } from '../records';
import { type ComparisonRow, comparisonRow, hasRole } from './accuracy';
import { type ClassRow, byDefectClass, byObject } from './byGroup';
import { type Confusion, type ConfusionMatrix, confusionMatrix, topConfusions } from './confusion';
import { byImageKind } from './imageKind';
import { type MaskFollowing, maskFollowing } from './maskFollowing';
import { byRegionCount } from './regionCount';
import { type TopKRow, topKAccuracy } from './topK';
import type { Calibration } from './calibration';

export { type Accuracy, type ComparisonRow, comparisonRow, compareBy, tally } from './accuracy';
export { type ClassRow, byDefectClass, byObject } from './byGroup';
export { type Confusion, type ConfusionMatrix, confusionMatrix, topConfusions } from './confusion';
export { IMAGE_KINDS, type ImageKind, byImageKind, imageKinds } from './imageKind';
export { type MaskFollowing, maskFollowing } from './maskFollowing';
export { REGION_COUNT_ROWS, byRegionCount, regionCountLabel } from './regionCount';
export { type TopKRow, topKAccuracy } from './topK';
export { type Calibration, type CalibrationAt, calibration, calibrationAt } from './calibration';
export { type ReliabilityBin, RELIABILITY_BINS, binOf, expectedCalibrationError, reliabilityBins } from './reliability';
export { type RegionScores, type TopAnswer, argmax, softmax, topAnswers } from './scores';
export { type SelectiveAccuracy, UNCERTAIN_TARGET_ACCURACY, selectiveAccuracy, uncertainThreshold } from './selective';
export { type TemperatureFit, TEMPERATURE_RANGE, fitTemperature, negativeLogLikelihood } from './temperature';

export interface RoleMetrics<T> {
  model: T;
  baseline?: T;
}

export interface EvalMetrics {
  regions: number;
  images: number;
  total: ComparisonRow;
  /** Paper Table 4. */
  byRegionCount: ComparisonRow[];
  /** Paper Table 5. */
  byObject: ComparisonRow[];
  /** One region / several of one description / several of different descriptions. */
  byImageKind: ComparisonRow[];
  byClass: ClassRow[];
  topK: TopKRow[];
  confusion: RoleMetrics<ConfusionMatrix>;
  topConfusions: RoleMetrics<Confusion[]>;
  maskFollowing: RoleMetrics<MaskFollowing>;
  /**
   * Reliability diagram, ECE and NLL before and after temperature scaling, and the answers above
   * the uncertainty threshold; absent in reports written before it was measured.
   */
  calibration?: RoleMetrics<Calibration>;
}

function perRole<T>(withBaseline: boolean, of: (role: 'model' | 'baseline') => T): RoleMetrics<T> {
  return withBaseline ? { model: of('model'), baseline: of('baseline') } : { model: of('model') };
}

/** The metrics of the prediction records (calibration, which needs each region's scores over all candidates, is added by evaluate). */
export function computeMetrics(records: readonly RegionPrediction[], options: { topK: number; confusions?: number }): EvalMetrics {
  const withBaseline = hasRole(records, 'baseline');
  const confusion = perRole(withBaseline, (role) => confusionMatrix(records, role));
  return {
    regions: records.length,
    images: new Set(records.map((r) => r.image)).size,
    total: comparisonRow('Total', records, withBaseline),
    byRegionCount: byRegionCount(records, withBaseline),
    byObject: byObject(records, withBaseline),
    byImageKind: byImageKind(records, withBaseline),
    byClass: byDefectClass(records, withBaseline),
    topK: topKAccuracy(records, options.topK, withBaseline),
    confusion,
    topConfusions: perRole(withBaseline, (role) => topConfusions(confusion[role] as ConfusionMatrix, options.confusions ?? 10)),
    maskFollowing: perRole(withBaseline, (role) => maskFollowing(records, role)),
  };
}
