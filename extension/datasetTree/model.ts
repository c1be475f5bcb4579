// What the Datasets view shows, computed from a dataset's files without any editor API:
// dataset.json → dataset node → splits (from the manifest's counts, expanded per object and
// defect from <split>.jsonl) and objects (defect classes with their descriptions).
import * as path from 'node:path';
import type { DatasetManifest, ImageRecord } from '../../server/dataset/format';
import { DATASET_FORMAT_VERSION } from '../../server/dataset/formatVersion';
import { SPLITS, splitFile, type SplitContents } from '../../server/dataset/manifestText';
import { checkManifest } from '../../server/dataset/schema';
import type { Split } from '../../server/dataset/types';
import type { NodePresentation } from '../views/presentation';

export type ManifestResult = { ok: true; manifest: DatasetManifest } | { ok: false; message: string };

/** Parses and shape-checks dataset.json; the message says what is wrong. */
export function parseManifest(text: string): ManifestResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `not valid JSON (${(err as Error).message})` };
  }
  const version = (data as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > DATASET_FORMAT_VERSION) {
    return {
      ok: false,
      message: `format version ${version} is newer than this extension reads (${DATASET_FORMAT_VERSION}); update Anomaly Lens`,
    };
  }
  const errors = checkManifest(data);
  return errors.length ? { ok: false, message: errors.join('; ') } : { ok: true, manifest: data as DatasetManifest };
}

export interface CountPair {
  images: number;
  regions: number;
}

export interface ObjectSplitSummary extends CountPair {
  object: string;
  /** Defect → images and regions of that defect in the split. */
  defects: Map<string, CountPair>;
}

function bump(pairs: Map<string, CountPair>, key: string, regions: number): CountPair {
  let pair = pairs.get(key);
  if (!pair) pairs.set(key, (pair = { images: 0, regions: 0 }));
  pair.images += 1;
  pair.regions += regions;
  return pair;
}

/** Images and regions per object, and per defect within it, sorted by object. */
export function summariseRecords(records: readonly ImageRecord[]): ObjectSplitSummary[] {
  const byObject = new Map<string, CountPair>();
  const defects = new Map<string, Map<string, CountPair>>();
  for (const record of records) {
    bump(byObject, record.object, record.regions.length);
    if (!defects.has(record.object)) defects.set(record.object, new Map());
    bump(defects.get(record.object) as Map<string, CountPair>, record.defect, record.regions.length);
  }
  return [...byObject.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([object, counts]) => ({ object, ...counts, defects: defects.get(object) as Map<string, CountPair> }));
}

export interface DatasetRef {
  /** Absolute path of dataset.json. */
  manifestPath: string;
  /** How the dataset is named in the view: its folder relative to the workspace folder. */
  name: string;
}

export type DatasetTreeNode =
  | { kind: 'dataset'; ref: DatasetRef; manifest: DatasetManifest }
  | { kind: 'invalid'; ref: DatasetRef; message: string }
  | { kind: 'split'; ref: DatasetRef; split: Split; counts: CountPair }
  | { kind: 'splitObject'; ref: DatasetRef; split: Split; summary: ObjectSplitSummary }
  | { kind: 'splitDefect'; ref: DatasetRef; split: Split; object: string; defect: string; counts: CountPair }
  | { kind: 'image'; ref: DatasetRef; split: Split; record: ImageRecord }
  | { kind: 'problem'; ref: DatasetRef; file: string; message: string }
  | { kind: 'objects'; ref: DatasetRef; manifest: DatasetManifest }
  | { kind: 'object'; ref: DatasetRef; manifest: DatasetManifest; object: string }
  | { kind: 'defect'; ref: DatasetRef; object: string; defect: string; descriptions: string[] };

export function datasetNode(ref: DatasetRef, manifestText: string): DatasetTreeNode {
  const parsed = parseManifest(manifestText);
  return parsed.ok ? { kind: 'dataset', ref, manifest: parsed.manifest } : { kind: 'invalid', ref, message: parsed.message };
}

/** Sum of images and regions over all splits. */
export function totals(manifest: DatasetManifest): CountPair {
  return SPLITS.reduce(
    (sum, split) => ({ images: sum.images + manifest.counts[split].images, regions: sum.regions + manifest.counts[split].regions }),
    { images: 0, regions: 0 },
  );
}

export function datasetChildren(node: Extract<DatasetTreeNode, { kind: 'dataset' }>): DatasetTreeNode[] {
  const splits: DatasetTreeNode[] = SPLITS.map((split) => ({ kind: 'split', ref: node.ref, split, counts: node.manifest.counts[split] }));
  return [...splits, { kind: 'objects', ref: node.ref, manifest: node.manifest }];
}

/** Children of a split node: its objects, then a node per unreadable line of its file. */
export function splitChildren(node: Extract<DatasetTreeNode, { kind: 'split' }>, contents: SplitContents): DatasetTreeNode[] {
  const file = splitFile(node.split);
  return [
    ...summariseRecords(contents.records).map((s): DatasetTreeNode => ({ kind: 'splitObject', ref: node.ref, split: node.split, summary: s })),
    ...contents.problems.map((message): DatasetTreeNode => ({ kind: 'problem', ref: node.ref, file, message })),
  ];
}

export function splitObjectChildren(node: Extract<DatasetTreeNode, { kind: 'splitObject' }>): DatasetTreeNode[] {
  return [...node.summary.defects.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([defect, counts]) => ({ kind: 'splitDefect', ref: node.ref, split: node.split, object: node.summary.object, defect, counts }));
}

/** The images of one object and defect in a split, each opened in the mask editor. */
export function splitDefectChildren(node: Extract<DatasetTreeNode, { kind: 'splitDefect' }>, contents: SplitContents): DatasetTreeNode[] {
  return contents.records
    .filter((r) => r.object === node.object && r.defect === node.defect)
    .map((record): DatasetTreeNode => ({ kind: 'image', ref: node.ref, split: node.split, record }));
}

/** An image record's file, absolute. */
export function imagePath(ref: DatasetRef, record: ImageRecord): string {
  return path.join(path.dirname(ref.manifestPath), ...record.image.split('/'));
}

export function objectsChildren(node: Extract<DatasetTreeNode, { kind: 'objects' }>): DatasetTreeNode[] {
  return [...node.manifest.objects]
    .sort((a, b) => a.localeCompare(b))
    .map((object) => ({ kind: 'object', ref: node.ref, manifest: node.manifest, object }));
}

export function objectChildren(node: Extract<DatasetTreeNode, { kind: 'object' }>): DatasetTreeNode[] {
  return node.manifest.defects
    .filter((d) => d.object === node.object)
    .map((d) => d.defect)
    .sort((a, b) => a.localeCompare(b))
    .map((defect) => ({
      kind: 'defect',
      ref: node.ref,
      object: node.object,
      defect,
      descriptions: node.manifest.descriptions.filter((e) => e.object === node.object && e.defect === defect).map((e) => e.text),
    }));
}

function plural(n: number, word: string): string {
  if (n === 1) return `${n} ${word}`;
  return `${n} ${word}${/(s|x|ch|sh)$/.test(word) ? 'es' : 's'}`;
}

export function countLabel(counts: CountPair): string {
  return `${plural(counts.images, 'image')} · ${plural(counts.regions, 'region')}`;
}

export function present(node: DatasetTreeNode): NodePresentation {
  const base = node.ref.manifestPath;
  switch (node.kind) {
    case 'dataset': {
      const m = node.manifest;
      const sources = (m.sources ?? []).map((s) => `${s.kind}: ${s.root}`).join('\n');
      return {
        id: base,
        label: node.ref.name,
        description: countLabel(totals(m)),
        tooltip: [node.ref.manifestPath, `${plural(m.objects.length, 'object')}, ${plural(m.defects.length, 'defect class')}, ${plural(m.descriptions.length, 'description')}`, sources]
          .filter(Boolean)
          .join('\n'),
        collapsible: true,
        contextValue: 'anomalyLens.dataset',
        icon: 'database',
      };
    }
    case 'invalid':
      return {
        id: base,
        label: node.ref.name,
        description: 'unreadable dataset.json',
        tooltip: `${node.ref.manifestPath}: ${node.message}`,
        collapsible: false,
        contextValue: 'anomalyLens.invalidDataset',
        icon: 'error',
      };
    case 'split':
      return {
        id: `${base}#${node.split}`,
        label: node.split,
        description: countLabel(node.counts),
        tooltip: `${splitFile(node.split)}: ${countLabel(node.counts)}`,
        collapsible: node.counts.images > 0,
        contextValue: 'anomalyLens.split',
        icon: 'list-flat',
      };
    case 'splitObject':
      return {
        id: `${base}#${node.split}/${node.summary.object}`,
        label: node.summary.object,
        description: countLabel(node.summary),
        tooltip: `${node.summary.object} in ${node.split}: ${countLabel(node.summary)}`,
        collapsible: node.summary.defects.size > 0,
        contextValue: 'anomalyLens.splitObject',
        icon: 'symbol-class',
      };
    case 'splitDefect':
      return {
        id: `${base}#${node.split}/${node.object}/${node.defect}`,
        label: node.defect,
        description: countLabel(node.counts),
        tooltip: `${node.object} / ${node.defect} in ${node.split}: ${countLabel(node.counts)}`,
        collapsible: node.counts.images > 0,
        contextValue: 'anomalyLens.splitDefect',
        icon: 'symbol-enum-member',
      };
    case 'image': {
      const regions = node.record.regions.length;
      return {
        id: `${base}#${node.split}/image/${node.record.image}`,
        label: path.basename(node.record.image),
        description: `${regions} region${regions === 1 ? '' : 's'}`,
        tooltip: `${node.record.image}: ${node.record.width}x${node.record.height}, ${node.record.regions.map((r) => r.description).join('; ')}`,
        collapsible: false,
        contextValue: 'anomalyLens.datasetImage',
        icon: 'file-media',
      };
    }
    case 'problem':
      return {
        id: `${base}#problem/${node.file}/${node.message}`,
        label: `${node.file}: ${node.message}`,
        tooltip: `${node.file}: ${node.message}`,
        collapsible: false,
        contextValue: 'anomalyLens.problem',
        icon: 'warning',
      };
    case 'objects':
      return {
        id: `${base}#objects`,
        label: 'objects',
        description: String(node.manifest.objects.length),
        tooltip: node.manifest.objects.join(', '),
        collapsible: node.manifest.objects.length > 0,
        contextValue: 'anomalyLens.objects',
        icon: 'symbol-namespace',
      };
    case 'object': {
      const defects = node.manifest.defects.filter((d) => d.object === node.object).length;
      return {
        id: `${base}#objects/${node.object}`,
        label: node.object,
        description: plural(defects, 'defect class'),
        tooltip: node.object,
        collapsible: defects > 0,
        contextValue: 'anomalyLens.object',
        icon: 'symbol-class',
      };
    }
    case 'defect':
      return {
        id: `${base}#objects/${node.object}/${node.defect}`,
        label: node.defect,
        description: node.descriptions.join(' | '),
        tooltip: node.descriptions.length ? node.descriptions.map((d) => `“${d}”`).join('\n') : 'no description',
        collapsible: false,
        contextValue: 'anomalyLens.defect',
        icon: 'symbol-enum-member',
      };
  }
}

/** Dataset nodes sorted by name, so the view is stable across refreshes. */
export function sortDatasets(nodes: DatasetTreeNode[]): DatasetTreeNode[] {
  return [...nodes].sort((a, b) => a.ref.name.localeCompare(b.ref.name));
}
