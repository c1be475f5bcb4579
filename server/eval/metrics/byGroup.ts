// Accuracy by object (paper Table 5) and by defect class.
import type { RegionPrediction } from '../records';
import { groupBy } from '../../util/arrays';
import { type ComparisonRow, compareBy, comparisonRow } from './accuracy';

export function byObject(records: readonly RegionPrediction[], withBaseline: boolean): ComparisonRow[] {
  return compareBy(records, (r) => r.object, withBaseline);
}

export interface ClassRow extends ComparisonRow {
  object: string;
  defect: string;
  /** The ground-truth descriptions of the class's regions (normally one). */
  descriptions: string[];
}

/** One row per (object, defect) class, ordered by object then defect. */
export function byDefectClass(records: readonly RegionPrediction[], withBaseline: boolean): ClassRow[] {
  const groups = groupBy(records, (r) => JSON.stringify([r.object, r.defect]));
  return [...groups.values()]
    .map((group) => {
      const { object, defect } = group[0];
      return {
        ...comparisonRow(`${object} / ${defect}`, group, withBaseline),
        object,
        defect,
        descriptions: [...new Set(group.map((r) => r.truth))],
      };
    })
    .sort((a, b) => a.object.localeCompare(b.object) || a.defect.localeCompare(b.defect));
}
