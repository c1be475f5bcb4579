// The child server's JSON-RPC protocol (vscode-jsonrpc over stdio): request and notification
// types shared by the server (server/rpc) and the extension's client (extension/server).
// Paths in parameters are absolute, or relative to the server's working folder.
import { NotificationType, NotificationType0, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { BuildResult } from '../dataset/build';
import type { DatasetManifest } from '../dataset/format';
import type { SourceSpec } from '../dataset/roles';
import type { DatasetStats } from '../dataset/stats';
import type { DoneEvent, StoppedEvent, TrainEvent } from '../jobs/trainProgress';
import type { SplitMode } from '../masks/types';

/** Raised when a request or notification changes incompatibly. */
export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Errors: a failed request carries one of these codes (JSON-RPC leaves codes outside
// -32768..-32000 to applications) and a message meant for the user.

export const ErrorCodes = {
  /** Bad input: a missing or unreadable file, an invalid dataset or value. data: UserErrorData. */
  UserError: 1000,
  /** A failure inside the server (a bug, a crashed trainer). data: InternalErrorData. */
  InternalError: 1001,
  /** The server is shutting down and takes no new requests. */
  ShuttingDown: 1002,
  /** Parameters of the wrong shape (JSON-RPC's own code). */
  InvalidParams: -32602,
  /** The request was cancelled before it produced a result (JSON-RPC/LSP's own code). */
  RequestCancelled: -32800,
} as const;

export interface UserErrorData {
  kind: 'user';
  /** The file the problem is about, when there is one. */
  file?: string;
}

export interface InternalErrorData {
  kind: 'internal';
  /** The error's class name, e.g. TrainerError. */
  name: string;
}

export type ErrorData = UserErrorData | InternalErrorData;

// ---------------------------------------------------------------------------------------------
// Progress. A long request takes a `progressToken` chosen by the client; the server's
// notifications about that request carry it back.

export type ProgressToken = string;

export interface ProgressParams {
  token: ProgressToken;
  done: number;
  /** 0 while the amount of work is not known yet. */
  total: number;
  message?: string;
}

export const ProgressNotification = new NotificationType<ProgressParams>('anomalyLens/progress');

export interface TrainEventParams {
  token: ProgressToken;
  /** One line of the trainer's progress protocol (server/jobs/trainProgress.ts), as it came. */
  event: TrainEvent;
}

export const TrainEventNotification = new NotificationType<TrainEventParams>('anomalyLens/trainEvent');

// ---------------------------------------------------------------------------------------------
// Lifecycle

export interface ServerInfo {
  name: 'anomaly-lens';
  version: string;
  protocolVersion: number;
  pid: number;
  /** The Node.js version the server runs on. */
  node: string;
  /** The request methods this server answers. */
  capabilities: string[];
  /** Methods of the requests in progress (this ping excluded). */
  active: string[];
  /** Model bundle folders open in the server. */
  models: string[];
}

export const PingRequest = new RequestType0<ServerInfo, void>('anomalyLens/ping');

/** Cancels every request in progress (a training run stops at a checkpoint), frees the models and answers when done. */
export const ShutdownRequest = new RequestType0<void, void>('shutdown');

/** Ends the server process (after `shutdown`, or at once). */
export const ExitNotification = new NotificationType0('exit');

// ---------------------------------------------------------------------------------------------
// anomalyLens/splitMask: a mask split into its individual anomaly regions (paper eq. 4).

export interface SplitMaskParams {
  mask: string;
  /** Default 'dbscan'. */
  mode?: SplitMode;
  /** DBSCAN radius in pixels (default 1.5). */
  eps?: number;
  /** DBSCAN core-point threshold, the pixel itself included (default 1). */
  minPts?: number;
  /** Drop regions with fewer pixels (default 0). */
  minArea?: number;
  /** Mask values above it are anomaly (default 0; 127 for JPEG masks). */
  threshold?: number;
  /** The mask holds class ids: split each value separately. */
  classIds?: boolean;
}

export interface SplitMaskRegion {
  index: number;
  area: number;
  /** [x, y, width, height]. */
  bbox: [number, number, number, number];
  classId?: number;
}

export interface SplitMaskResult {
  mask: string;
  width: number;
  height: number;
  regions: SplitMaskRegion[];
  /** Foreground pixels DBSCAN left in no region. */
  noise: number;
  /** Regions removed by minArea. */
  dropped: number;
  distinctValues: number[];
  warnings: string[];
}

export const SplitMaskRequest = new RequestType<SplitMaskParams, SplitMaskResult, void>('anomalyLens/splitMask');

// ---------------------------------------------------------------------------------------------
// anomalyLens/datasetStats: the statistics of a built dataset (paper Tables 1 and 2).

export interface DatasetStatsParams {
  dataset: string;
}

export interface DatasetStatsResult {
  dataset: string;
  counts: DatasetManifest['counts'];
  parameters: DatasetManifest['parameters'];
  stats: DatasetStats;
  /** The same tables as Markdown. */
  markdown: string;
}

export const DatasetStatsRequest = new RequestType<DatasetStatsParams, DatasetStatsResult, void>('anomalyLens/datasetStats');

// ---------------------------------------------------------------------------------------------
// anomalyLens/buildDataset: sources -> region-level dataset. Progress: ProgressNotification.
// Cancelling stops scheduling images and resolves with `cancelled: true` (the dataset is left
// as it was; the images done stay in the build cache for the next build).

export interface BuildDatasetParams {
  /** Source folders; `role` and `kind` as the CLI's SOURCE:role:kind suffixes. */
  sources: SourceSpec[];
  out: string;
  mode?: SplitMode;
  eps?: number;
  minPts?: number;
  minArea?: number;
  threshold?: number;
  valRatio?: number;
  seed?: number;
  /** Worker threads (default: all cores; 0 = in the server's thread). */
  workers?: number;
  describe?: 'builtin' | 'llm';
  llmModel?: string;
  llmBaseUrl?: string;
  overrides?: string;
  progressToken?: ProgressToken;
}

export type BuildDatasetResult = { cancelled: false; result: BuildResult } | { cancelled: true; done: number; total: number };

export const BuildDatasetRequest = new RequestType<BuildDatasetParams, BuildDatasetResult, void>('anomalyLens/buildDataset');

// ---------------------------------------------------------------------------------------------
// anomalyLens/describeRegions: descriptions of designated regions with a model bundle.

export interface DescribeRegionsParams {
  image: string;
  /** Model bundle folder (default: the embedded default model). Opened once and kept. */
  bundle?: string;
  /** Masks, one region each. */
  masks?: string[];
  /** A mask split into its individual regions (DBSCAN), each described. */
  regionOf?: { mask: string; eps?: number; minPts?: number };
  /** Candidate descriptions (default: the bundle's own). */
  candidates?: string[];
  /** Descriptions returned per region (default 5). */
  topK?: number;
}

export type RegionSource =
  | { kind: 'mask'; file: string }
  | { kind: 'region-of'; file: string; index: number; of: number; bbox: [number, number, number, number]; area: number }
  | { kind: 'whole-image'; reason: string };

export interface DescribedRegion {
  source: RegionSource;
  /** The designation was empty: the whole image was described. */
  wholeImage: boolean;
  /** The region lies outside the centred square the model sees. */
  outsideCrop: boolean;
  /** Best first. */
  ranking: { text: string; cosine: number; probability: number }[];
}

export interface DescribeRegionsResult {
  image: string;
  bundle: string;
  regions: DescribedRegion[];
  warnings: string[];
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
  progressToken?: ProgressToken;
}

export type TrainResult = { kind: 'done'; run: string; event: DoneEvent } | { kind: 'stopped'; run: string; event: StoppedEvent };

export const TrainRequest = new RequestType<TrainParams, TrainResult, void>('anomalyLens/train');

/** Every request the server answers besides the lifecycle ones, for `ping`'s capabilities. */
export const REQUEST_METHODS: readonly string[] = [
  PingRequest.method,
  SplitMaskRequest.method,
  DatasetStatsRequest.method,
  BuildDatasetRequest.method,
  DescribeRegionsRequest.method,
  TrainRequest.method,
];
