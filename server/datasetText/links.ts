// Document links (the files a split file or bundle.json names) and Go to Definition from a
// region's description to its entry in dataset.json.
import { type Confine, confinement } from './confinement';
import { type JsonNode, propertyOf, scanJson } from './jsonScanner';
import type { ParsedSplitFile, SplitRecord } from './parseSplitFile';
import { LineIndex, type Position, type Range, containsPosition } from './range';
import type { PathLink } from './types';

export type { PathLink };

function confinedBy(confine: Confine, path: unknown): string | undefined {
  if (typeof path !== 'string' || path === '') return undefined;
  const answer = confine(path);
  return 'target' in answer ? answer.target : undefined;
}

function confined(root: string, path: unknown): string | undefined {
  return confinedBy(confinement(root), path);
}

/** Every image and mask path of a split file that stays inside the dataset root. */
export function splitFileLinks(parsed: ParsedSplitFile, root: string, confine: Confine = confinement(root)): PathLink[] {
  const links: PathLink[] = [];
  for (const record of parsed.records) {
    const image = record.fields.image;
    const target = confinedBy(confine, image?.node.value);
    if (image && target) links.push({ range: image.value, path: image.node.value as string, target });
    for (const region of record.regions) {
      const mask = region.fields.mask;
      const maskTarget = confinedBy(confine, mask?.node.value);
      if (mask && maskTarget) links.push({ range: mask.value, path: mask.node.value as string, target: maskTarget });
    }
  }
  return links;
}

/** The files a bundle.json names (encoders, text embeddings, tokenizer merges), inside the bundle folder. */
export function bundleLinks(text: string, bundleDir: string): PathLink[] {
  const { node } = scanJson(text);
  if (!node) return [];
  const index = new LineIndex(text);
  const named: (JsonNode | undefined)[] = [
    ...['imageEncoder', 'textEncoder', 'textEmbeddings'].map((k) => propertyOf(propertyOf(node, 'files')?.value, k)?.value),
    propertyOf(propertyOf(node, 'tokenizer')?.value, 'merges')?.value,
  ];
  const links: PathLink[] = [];
  for (const value of named) {
    const target = value && confined(bundleDir, value.value);
    if (value && target) links.push({ range: index.range(value.start, value.end), path: value.value as string, target });
  }
  return links;
}

/** The range of the `text` of dataset.json's description entry for (object, defect). */
export function descriptionEntryRange(datasetJson: string, object: string, defect: string): Range | undefined {
  const { node } = scanJson(datasetJson);
  const list = propertyOf(node, 'descriptions')?.value;
  if (list?.kind !== 'array') return undefined;
  for (const entry of list.items) {
    if (propertyOf(entry, 'object')?.value.value !== object || propertyOf(entry, 'defect')?.value.value !== defect) continue;
    const textNode = propertyOf(entry, 'text')?.value;
    if (textNode) return new LineIndex(datasetJson).range(textNode.start, textNode.end);
  }
  return undefined;
}

/** Go to Definition: when `pos` is on a region's description value, where its class's entry lies in dataset.json. */
export function descriptionDefinition(record: SplitRecord, pos: Position, datasetJson: string): Range | undefined {
  const object = (record.value as Record<string, unknown> | null)?.object;
  if (typeof object !== 'string') return undefined;
  for (const region of record.regions) {
    const field = region.fields.description;
    const defect = region.fields.defect?.node.value;
    if (field && typeof defect === 'string' && containsPosition(field.value, pos)) return descriptionEntryRange(datasetJson, object, defect);
  }
  return undefined;
}
