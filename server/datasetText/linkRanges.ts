// @pure: document links and Go to Definition worked out from the text alone: the files a split
// file or bundle.json names, each kept where `targetOf` finds it inside its folder, and where a
// region's description has its entry in dataset.json.  links.ts confines the paths in the engine;
// the language features confine them in the extension host.
import { type JsonNode, propertyOf, scanJson } from './jsonScanner';
import type { ParsedSplitFile, SplitRecord } from './parseSplitFile';
import { LineIndex, type Position, type Range, containsPosition } from './range';
import type { PathLink } from './types';

export type { PathLink };

/** The file a path names inside its folder, or undefined for one that is not a path or leaves it. */
export type LinkTarget = (path: string) => string | undefined;

function targetOfValue(targetOf: LinkTarget, path: unknown): string | undefined {
  return typeof path === 'string' && path !== '' ? targetOf(path) : undefined;
}

/** Every image and mask path of a split file that stays inside the dataset root. */
export function splitFileLinksTo(parsed: ParsedSplitFile, targetOf: LinkTarget): PathLink[] {
  const links: PathLink[] = [];
  for (const record of parsed.records) {
    const image = record.fields.image;
    const target = targetOfValue(targetOf, image?.node.value);
    if (image && target) links.push({ range: image.value, path: image.node.value as string, target });
    for (const region of record.regions) {
      const mask = region.fields.mask;
      const maskTarget = targetOfValue(targetOf, mask?.node.value);
      if (mask && maskTarget) links.push({ range: mask.value, path: mask.node.value as string, target: maskTarget });
    }
  }
  return links;
}

/** The files a bundle.json names (encoders, text embeddings, tokenizer merges), inside the bundle folder. */
export function bundleLinksTo(text: string, targetOf: LinkTarget): PathLink[] {
  const { node } = scanJson(text);
  if (!node) return [];
  const index = new LineIndex(text);
  const named: (JsonNode | undefined)[] = [
    ...['imageEncoder', 'textEncoder', 'textEmbeddings'].map((k) => propertyOf(propertyOf(node, 'files')?.value, k)?.value),
    propertyOf(propertyOf(node, 'tokenizer')?.value, 'merges')?.value,
  ];
  const links: PathLink[] = [];
  for (const value of named) {
    const target = value && targetOfValue(targetOf, value.value);
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
