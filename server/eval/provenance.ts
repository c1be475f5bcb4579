// What a report was computed from: the bundles and the dataset split, with content hashes.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { LoadedBundle } from '../model';
import type { BundleCalibration } from '../model/bundle';
import type { EvalSplit } from './splitImages';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface BundleInfo {
  dir: string;
  size: string;
  architecture: string;
  imageSize: number;
  embedDim: number;
  alpha: boolean;
  logitScale: number;
  descriptions: number;
  /** The bundle's temperature scaling and uncertainty threshold, when it records them. */
  calibration?: BundleCalibration;
  provenance?: Record<string, unknown>;
  sha256: { manifest: string; imageEncoder: string };
}

export async function bundleInfo(bundle: LoadedBundle): Promise<BundleInfo> {
  const { manifest } = bundle;
  const [manifestHash, imageEncoderHash] = await Promise.all([sha256File(bundle.manifestFile), sha256File(bundle.imageEncoderFile)]);
  return {
    dir: bundle.dir,
    size: manifest.size,
    architecture: manifest.architecture,
    imageSize: manifest.imageSize,
    embedDim: manifest.embedDim,
    alpha: manifest.alpha,
    logitScale: manifest.logitScale,
    descriptions: manifest.descriptions.length,
    ...(manifest.calibration ? { calibration: manifest.calibration } : {}),
    provenance: manifest.provenance,
    sha256: { manifest: manifestHash, imageEncoder: imageEncoderHash },
  };
}

export interface DatasetInfo {
  dir: string;
  split: string;
  formatVersion: number;
  createdAt: string;
  sources: { kind: string; root: string; splits: string[] }[];
  parameters: unknown;
  /** Images and regions of the split as its file lists them. */
  images: number;
  regions: number;
  splitFile: { path: string; sha256: string };
}

export async function datasetInfo(split: EvalSplit): Promise<DatasetInfo> {
  const { manifest } = split;
  return {
    dir: split.root,
    split: split.split,
    formatVersion: manifest.formatVersion,
    createdAt: manifest.createdAt,
    sources: manifest.sources.map((s) => ({ kind: s.kind, root: s.root, splits: [...s.splits] })),
    parameters: manifest.parameters,
    images: split.records.length,
    regions: split.records.reduce((n, r) => n + r.regions.length, 0),
    splitFile: { path: split.splitFile, sha256: await sha256File(split.splitFile) },
  };
}
