// What the Models view shows of a model bundle, from its bundle.json alone: the base
// architecture, input size, candidate descriptions and the metrics recorded at export. Pure.
import type { NodePresentation } from '../views/presentation';

export interface BundleMetrics {
  valAccuracy?: number;
  bestEpoch?: number;
  steps?: number;
}

export interface ModelInfo {
  /** The bundle folder, absolute. */
  folder: string;
  /** How the view names it: its folder relative to the workspace, or "default model (embedded)". */
  name: string;
  embedded: boolean;
  size: string;
  imageSize: number;
  alpha: boolean;
  descriptions: string[];
  /** trained, imported, … (provenance.kind). */
  origin?: string;
  createdAt?: string;
  /** The bundle training started from (provenance.base.init). */
  init?: string;
  metrics: BundleMetrics;
}

export type ModelNode =
  | { kind: 'model'; model: ModelInfo; isDefault: boolean }
  | { kind: 'invalid'; folder: string; name: string; message: string }
  | { kind: 'detail'; folder: string; label: string; value: string }
  | { kind: 'descriptions'; model: ModelInfo }
  | { kind: 'description'; folder: string; text: string; index: number };

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A bundle.json read for display; the message says what keeps it from being shown. */
export function parseBundle(folder: string, name: string, text: string, embedded = false): ModelNode {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { kind: 'invalid', folder, name, message: `bundle.json is not valid JSON (${(err as Error).message})` };
  }
  const m = obj(data);
  if (!m) return { kind: 'invalid', folder, name, message: 'bundle.json is not a JSON object' };
  if (m.formatVersion !== 1) return { kind: 'invalid', folder, name, message: `bundle format version ${JSON.stringify(m.formatVersion)}; this extension reads 1` };
  if (typeof m.size !== 'string' || num(m.imageSize) === undefined) return { kind: 'invalid', folder, name, message: 'bundle.json lacks "size" or "imageSize"' };
  const descriptions = Array.isArray(m.descriptions) ? m.descriptions.filter((d): d is string => typeof d === 'string') : [];
  const provenance = obj(m.provenance);
  const metrics = obj(provenance?.metrics);
  const init = obj(provenance?.base)?.init;
  return {
    kind: 'model',
    isDefault: false,
    model: {
      folder,
      name,
      embedded,
      size: m.size,
      imageSize: m.imageSize as number,
      alpha: m.alpha !== false,
      descriptions,
      origin: typeof provenance?.kind === 'string' ? provenance.kind : undefined,
      createdAt: typeof provenance?.createdAt === 'string' ? provenance.createdAt : undefined,
      init: typeof init === 'string' ? init : undefined,
      metrics: { valAccuracy: num(metrics?.valAccuracy), bestEpoch: num(metrics?.bestEpoch), steps: num(metrics?.steps) },
    },
  };
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** Marks the default (the configured folder, or the embedded model when none is) and sorts: embedded first, then by name. */
export function arrangeModels(nodes: ModelNode[], defaultFolder: string | undefined): ModelNode[] {
  const hasConfigured = !!defaultFolder && nodes.some((n) => n.kind === 'model' && samePath(n.model.folder, defaultFolder));
  const marked = nodes.map((n) =>
    n.kind === 'model' ? { ...n, isDefault: hasConfigured ? samePath(n.model.folder, defaultFolder as string) : n.model.embedded } : n,
  );
  const rank = (n: ModelNode) => (n.kind === 'model' && n.model.embedded ? 0 : 1);
  return marked.sort((a, b) => rank(a) - rank(b) || nameOf(a).localeCompare(nameOf(b)));
}

function nameOf(n: ModelNode): string {
  return n.kind === 'model' ? n.model.name : n.kind === 'invalid' ? n.name : '';
}

export function samePath(a: string, b: string): boolean {
  const norm = (p: string) => p.replace(/[/\\]+$/, '');
  return norm(a) === norm(b);
}

export function modelChildren(node: ModelNode): ModelNode[] {
  if (node.kind === 'descriptions') {
    return node.model.descriptions.map((text, index) => ({ kind: 'description', folder: node.model.folder, text, index }));
  }
  if (node.kind !== 'model') return [];
  const m = node.model;
  const details: [string, string | undefined][] = [
    ['base', `${m.size}${m.alpha ? ' (AlphaCLIP, region mask)' : ' (whole image)'}`],
    ['input size', `${m.imageSize} × ${m.imageSize}`],
    ['validation accuracy', m.metrics.valAccuracy !== undefined ? percent(m.metrics.valAccuracy) : undefined],
    ['best epoch', m.metrics.bestEpoch !== undefined ? String(m.metrics.bestEpoch) : undefined],
    ['steps', m.metrics.steps !== undefined ? String(m.metrics.steps) : undefined],
    ['origin', m.origin],
    ['started from', m.init],
    ['created', m.createdAt],
  ];
  return [
    ...details.filter((d): d is [string, string] => d[1] !== undefined).map(([label, value]): ModelNode => ({ kind: 'detail', folder: m.folder, label, value })),
    { kind: 'descriptions', model: m },
  ];
}

export function presentModel(node: ModelNode): NodePresentation {
  switch (node.kind) {
    case 'model': {
      const m = node.model;
      const accuracy = m.metrics.valAccuracy !== undefined ? ` · val ${percent(m.metrics.valAccuracy)}` : '';
      return {
        id: m.folder,
        label: m.name,
        description: `${node.isDefault ? 'default · ' : ''}${m.size} ${m.imageSize}px · ${m.descriptions.length} descriptions${accuracy}`,
        tooltip: [m.folder, node.isDefault ? 'The default model of Describe Region and Evaluate.' : undefined].filter(Boolean).join('\n'),
        collapsible: true,
        contextValue: `anomalyLens.model${node.isDefault ? '.default' : ''}${m.embedded ? '.embedded' : ''}`,
        icon: node.isDefault ? 'star-full' : 'package',
      };
    }
    case 'invalid':
      return { id: node.folder, label: node.name, description: 'unreadable bundle.json', tooltip: `${node.folder}: ${node.message}`, collapsible: false, contextValue: 'anomalyLens.invalidModel', icon: 'error' };
    case 'detail':
      return { id: `${node.folder}#${node.label}`, label: node.label, description: node.value, tooltip: `${node.label}: ${node.value}`, collapsible: false, contextValue: 'anomalyLens.modelDetail', icon: 'info' };
    case 'descriptions':
      return {
        id: `${node.model.folder}#descriptions`,
        label: 'candidate descriptions',
        description: String(node.model.descriptions.length),
        tooltip: 'The descriptions the model ranks for a region',
        collapsible: node.model.descriptions.length > 0,
        contextValue: 'anomalyLens.modelDescriptions',
        icon: 'list-unordered',
      };
    case 'description':
      return { id: `${node.folder}#description/${node.index}`, label: node.text, tooltip: node.text, collapsible: false, contextValue: 'anomalyLens.modelDescription', icon: 'comment' };
  }
}
