// Prediction records: one per evaluated region, the input of every metric.

/** Which bundle answered: the model under evaluation or the baseline it is compared with. */
export type Role = 'model' | 'baseline';

export interface RankedAnswer {
  text: string;
  cosine: number;
  /** softmax(logitScale·cos) over the whole candidate set. */
  probability: number;
}

export interface RegionPrediction {
  /** Image path relative to the dataset root. */
  image: string;
  object: string;
  /** The region's defect class. */
  defect: string;
  /** Index of the region in its image record. */
  region: number;
  /** Number of regions in the image. */
  regionCount: number;
  /** Region mask path relative to the dataset root. */
  mask: string;
  /** Ground-truth description. */
  truth: string;
  /** The model's top-k, best first; the prediction is the first (paper eq. 3). */
  model: RankedAnswer[];
  baseline?: RankedAnswer[];
}

/** The predicted description of a role, undefined when that role did not answer. */
export function predicted(record: RegionPrediction, role: Role): string | undefined {
  return record[role]?.[0]?.text;
}

export function isCorrect(record: RegionPrediction, role: Role): boolean {
  return predicted(record, role) === record.truth;
}

/** Whether the ground truth is among the role's first k answers. */
export function inTopK(record: RegionPrediction, role: Role, k: number): boolean {
  const answers = record[role];
  return answers !== undefined && answers.slice(0, k).some((a) => a.text === record.truth);
}
