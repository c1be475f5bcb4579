// A class's description and where its words came from; dataset.json records them (dataset/format.ts).
export type DescriptionProvenance =
  | { kind: 'builtin' }
  | { kind: 'llm'; model: string; promptHash: string; baseURL?: string }
  | { kind: 'curated'; file: string };

export interface DescriptionEntry {
  object: string;
  defect: string;
  text: string;
  provenance: DescriptionProvenance;
}
