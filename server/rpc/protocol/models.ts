// @pure: the child server's protocol (index.ts).
// The child server's protocol (see index.ts): models — describing regions, training, evaluating,
// exporting a run and importing published weights.
import { RequestType } from 'vscode-jsonrpc';
import type { DescribeImageResult, DescribedRegion, RegionSource } from '../../model/describeTypes';
import type { DoneEvent, StoppedEvent } from '../../jobs/trainProgressTypes';
import type { ProgressToken } from './jobs';

export type { DoneEvent, StoppedEvent };

// anomalyLens/describeRegions: descriptions of designated regions with a model bundle.

export interface DescribeRegionsParams {
  image: string;
  /** Model bundle folder (default: the embedded default model). Opened once and kept. */
  bundle?: string;
  /** Masks, one region each. */
  masks?: string[];
  /** A mask split into its individual regions (DBSCAN), each described. */
  regionOf?: { mask: string; eps?: number; minPts?: number };
  /** Regions sent inline (the mask editor): each the base64 of its pixel indices (y * width + x) as little-endian uint32. */
  pixels?: string[];
  /** Candidate descriptions (default: the bundle's own). */
  candidates?: string[];
  /** Descriptions returned per region (default 5). */
  topK?: number;
  /** Answer also a picture of the image with each described region outlined and numbered (1, 2, … in the order of `regions`), in the mask editor's colours. */
  picture?: { maxSize?: number };
}

export type { DescribedRegion, RegionSource };

/** A PNG as a data: URL, and its size. */
export interface RegionsPicture {
  dataUrl: string;
  width: number;
  height: number;
}

export interface DescribeRegionsResult extends DescribeImageResult {
  /** When asked for (`picture`). */
  picture?: RegionsPicture;
}

export const DescribeRegionsRequest = new RequestType<DescribeRegionsParams, DescribeRegionsResult, void>('anomalyLens/describeRegions');

// ---------------------------------------------------------------------------------------------
// anomalyLens/train: runs the Python trainer. Its progress events arrive as
// TrainEventNotification; cancelling asks it to stop (it checkpoints) and resolves 'stopped'.

/** The trainer's options (see `anomaly-lens train --help`); absent ones take the trainer's defaults. */
export interface TrainOptions {
  base?: 'tiny' | 'ViT-B/16' | 'ViT-L/14' | 'ViT-L/14@336px';
  tune?: 'lora' | 'full';
  epochs?: number;
  maxSteps?: number;
  batch?: number;
  evalBatch?: number;
  lr?: number;
  lrAlphaConv?: number;
  lrConv?: number;
  weightDecay?: number;
  loraR?: number;
  loraAlpha?: number;
  loraDropout?: number;
  temperature?: number;
  schedule?: 'constant' | 'cosine';
  warmupSteps?: number;
  seed?: number;
  device?: 'auto' | 'cpu' | 'cuda';
  amp?: 'auto' | 'off' | 'fp16' | 'bf16';
  workers?: number;
  cacheMb?: number;
  checkpointEvery?: number;
  keepCheckpoints?: number;
  stopAt?: number;
  /** false: train the whole-image variant (no region mask). */
  alpha?: boolean;
  /** false: do not export a bundle at the end. */
  export?: boolean;
  gradCheckpointing?: boolean;
}

export interface TrainParams {
  dataset: string;
  /** Run folder; one holding a run is resumed. */
  out: string;
  /** Starting weights: a model bundle, a run folder or a checkpoint. */
  init?: string;
  /** Tokenizer merges file. */
  vocab?: string;
  learnedMerges?: number;
  /** Python with PyTorch (default: $ANOMALY_LENS_PYTHON, python3, /usr/bin/python3). */
  python?: string;
  /** Processes (one per GPU) under torchrun; default every GPU PyTorch sees (1 on CPU). */
  gpus?: number;
  /** Check the dataset fully first (default true). */
  validate?: boolean;
  options?: TrainOptions;
  jobId?: string;
  progressToken?: ProgressToken;
}

export type TrainResult = { kind: 'done'; run: string; event: DoneEvent } | { kind: 'stopped'; run: string; event: StoppedEvent };

export const TrainRequest = new RequestType<TrainParams, TrainResult, void>('anomalyLens/train');

// ---------------------------------------------------------------------------------------------
// anomalyLens/evaluate: a bundle (and a baseline) on a dataset split, written as a report folder
// (`anomaly-lens eval`).

export interface EvaluateParams {
  dataset: string;
  /** Default 'test'. */
  split?: 'train' | 'val' | 'test';
  /** Default: the embedded default bundle. */
  bundle?: string;
  /** An optional baseline bundle. */
  baseline?: string;
  /** Default 'all'. */
  candidates?: 'all' | 'object';
  /** Report folder: report.json, report.md, report.html. */
  out: string;
  jobId?: string;
  progressToken?: ProgressToken;
}

export interface EvaluateResult {
  out: string;
  reportJson: string;
  reportHtml: string;
  /** Regions evaluated, and each model's top-1 accuracy over them (0 to 1). */
  total: { regions: number; model: number; baseline?: number };
  /** Problems the evaluation reported (skipped images, records). */
  problems: number;
}

export const EvaluateRequest = new RequestType<EvaluateParams, EvaluateResult, void>('anomalyLens/evaluate');

// ---------------------------------------------------------------------------------------------
// anomalyLens/export: a training run's checkpoint as a model bundle (`anomaly-lens export`).

export interface ExportParams {
  run: string;
  out: string;
  /** 'best' (default), 'last' or a checkpoint file. */
  checkpoint?: 'best' | 'last' | string;
  python?: string;
  jobId?: string;
  progressToken?: ProgressToken;
}

export interface ExportResult {
  bundle: string;
}

export const ExportRequest = new RequestType<ExportParams, ExportResult, void>('anomalyLens/export');

// ---------------------------------------------------------------------------------------------
// anomalyLens/importWeights: published CLIP (and AlphaCLIP) weights as a model bundle
// (`anomaly-lens import-weights`).

export interface ImportWeightsParams {
  /** OpenAI CLIP weights (.pt). */
  clip: string;
  /** AlphaCLIP visual checkpoint (.pth). */
  alpha?: string;
  /** CLIP's BPE merges file. */
  vocab: string;
  out: string;
  wholeImage?: boolean;
  python?: string;
  jobId?: string;
  progressToken?: ProgressToken;
}

export interface ImportWeightsResult {
  bundle: string;
  /** The licences of the imported weights, for the user to read. */
  licences: string[];
}

export const ImportWeightsRequest = new RequestType<ImportWeightsParams, ImportWeightsResult, void>('anomalyLens/importWeights');
