// Candidate descriptions for evaluation: every description of the dataset (the paper's
// setting) or only those of the image's object.
import type { DatasetManifest, ImageRecord } from '../dataset/format';
import type { CandidateSet } from '../model';

export type CandidateMode = 'all' | 'object';
export const CANDIDATE_MODES: readonly CandidateMode[] = ['all', 'object'];

export interface CandidatePlan {
  mode: CandidateMode;
  /** Every description: dataset.json's list in its order, then any the split's regions add. */
  all: string[];
  /** Per object: the descriptions of that object's classes, in the order of `all`. */
  byObject: Map<string, string[]>;
}

export function candidatePlan(mode: CandidateMode, manifest: Pick<DatasetManifest, 'descriptions'>, records: readonly ImageRecord[]): CandidatePlan {
  const all: string[] = [];
  const seen = new Set<string>();
  const objectsOf = new Map<string, Set<string>>();
  const add = (object: string, text: string) => {
    if (!seen.has(text)) {
      seen.add(text);
      all.push(text);
    }
    let set = objectsOf.get(object);
    if (!set) objectsOf.set(object, (set = new Set()));
    set.add(text);
  };
  for (const d of manifest.descriptions) add(d.object, d.text);
  for (const record of records) for (const region of record.regions) add(record.object, region.description);
  const byObject = new Map<string, string[]>();
  for (const [object, texts] of objectsOf) byObject.set(object, all.filter((t) => texts.has(t)));
  return { mode, all, byObject };
}

/** The candidate texts a region of `object` is ranked against. */
export function candidatesFor(plan: CandidatePlan, object: string): readonly string[] {
  return plan.mode === 'all' ? plan.all : (plan.byObject.get(object) ?? []);
}

/** A subset of an embedded candidate set (texts must be in it). */
export function subset(set: CandidateSet, texts: readonly string[]): CandidateSet {
  const index = new Map(set.texts.map((t, i) => [t, i]));
  return {
    texts: [...texts],
    embeddings: texts.map((t) => {
      const i = index.get(t);
      if (i === undefined) throw new RangeError(`candidate ${JSON.stringify(t)} is not in the embedded set`);
      return set.embeddings[i];
    }),
  };
}
