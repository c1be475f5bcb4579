// The child server's JSON-RPC protocol (vscode-jsonrpc over stdio): request and notification
// types shared by the server (server/rpc) and the extension's client (extension/client).
// Paths in parameters are absolute, or relative to the server's working folder.
// Types only: besides vscode-jsonrpc's message types it imports nothing that runs (no Node, no
// `vscode`, no engine code), so the extension and the webviews can import it (see
// test/unit/protocol). The design: docs/architecture.md.
import { NotificationType, NotificationType0, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { BuildResult } from '../dataset/buildTypes';
import type { DatasetManifest } from '../dataset/format';
import type { DatasetStats } from '../dataset/statsTypes';
import type { SourceSpec } from '../dataset/types';
import type { DoneEvent, StoppedEvent, TrainEvent } from '../jobs/trainProgressTypes';
import type { DescribeImageResult, DescribedRegion, RegionSource } from '../jobs/describeTypes';
import type { RegionsDocument, RegionsSource } from '../editor/regionsTypes';
import type { ReviewItem, ReviewQueue } from '../editor/reviewTypes';
import type { SplitMode } from '../masks/types';
import type { LintedDiagnostic, LinkSpan, QuickFix, RecordPredictions, RecordThumbnail, RegionPrediction, SplitFileLint } from '../datasetText/types';

export type { BuildResult, DatasetManifest, DatasetStats, DoneEvent, SourceSpec, SplitMode, StoppedEvent, TrainEvent };

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
  /** A save made from a version of an image's regions that has moved on since it was read. data: StaleErrorData. */
  StaleVersion: 1003,
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

export interface StaleErrorData {
  kind: 'stale';
  /** The file the regions live in, when there is one. */
  file?: string;
  /** The version the regions are at now. */
  current: string;
}

export type ErrorData = UserErrorData | InternalErrorData | StaleErrorData;

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
  /** One line of the trainer's progress protocol (server/jobs/trainProgressTypes.ts), as it came. */
  event: TrainEvent;
}

export const TrainEventNotification = new NotificationType<TrainEventParams>('anomalyLens/trainEvent');

// ---------------------------------------------------------------------------------------------
// Jobs: every long request is a job. The server keeps the list (queued, running and the last 50
// ended), persists it in its state folder ($ANOMALY_LENS_STATE_DIR) and tells every change.
// GPU jobs (train; evaluate on cuda) run one at a time, the others beside them. A server that
// starts marks the jobs its predecessor left queued or running as failed.

export type JobKind = 'createSample' | 'buildDataset' | 'validate' | 'train' | 'evaluate' | 'export' | 'importWeights' | 'review';
export type JobState = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled';

export interface JobInfo {
  /** Unique, e.g. 'job-<time>-<n>', or the `jobId` the client chose. */
  id: string;
  kind: JobKind;
  /** For people: "Train tiny on datasets/sample-regions". */
  title: string;
  state: JobState;
  /** GPU jobs run one at a time; others beside them. */
  gpu: boolean;
  /** ISO times. */
  queuedAt: string;
  startedAt?: string;
  endedAt?: string;
  progress?: { done: number; total: number; message?: string };
  /** Folder the job writes: the dataset, run folder, report folder or bundle. */
  output?: string;
  /** The last train event (step/eval) of a training job, for the Runs view and the dashboard's reattach. */
  lastEvent?: TrainEvent;
  error?: { message: string; file?: string; kind: 'user' | 'internal' };
  /** Set when the job finished: the request's result. */
  result?: unknown;
}

/** The message of a job a stopped server left queued or running. */
export const JOB_INTERRUPTED_MESSAGE = 'the server stopped while the job ran';

/** Every job the server knows: queued, running, and the last 50 that ended, oldest first. */
export const JobsRequest = new RequestType0<JobInfo[], void>('anomalyLens/jobs');

/** Sent on every change of a job's state, and of its progress at most about 4 times a second. */
export const JobChangedNotification = new NotificationType<JobInfo>('anomalyLens/jobChanged');

export interface CancelJobParams {
  id: string;
}

/** Cancels a queued or running job; `cancelled` is false when it had already ended or is unknown. */
export const CancelJobRequest = new RequestType<CancelJobParams, { cancelled: boolean }, void>('anomalyLens/cancelJob');

/** Parameters every long request takes besides its own. */
export interface JobParams {
  /** Chosen by the client (unique); the server makes one when absent. */
  jobId?: string;
  progressToken?: ProgressToken;
}

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
  /** Duplicate records that validate cannot see (the same image content twice, a region listed twice). */
  warnings: string[];
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
  jobId?: string;
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
  /** Regions sent inline (the mask editor): each the base64 of its pixel indices (y * width + x) as little-endian uint32. */
  pixels?: string[];
  /** Candidate descriptions (default: the bundle's own). */
  candidates?: string[];
  /** Descriptions returned per region (default 5). */
  topK?: number;
}

export type { DescribedRegion, RegionSource };

export type DescribeRegionsResult = DescribeImageResult;

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
// anomalyLens/createSample: the procedurally drawn sample dataset (`anomaly-lens sample`).

export interface CreateSampleParams {
  out: string;
  seed?: number;
  /** Multiplier on the image counts (default 1). */
  scale?: number;
  /** Image width and height in pixels (default 128). */
  size?: number;
  jobId?: string;
  progressToken?: ProgressToken;
}

export interface CreateSampleResult {
  out: string;
  /** The AnomalyDiffusion-layout source (train+val). */
  synthetic: string;
  /** The MVTec-layout source (test). */
  mvtec: string;
  images: number;
}

export const CreateSampleRequest = new RequestType<CreateSampleParams, CreateSampleResult, void>('anomalyLens/createSample');

// ---------------------------------------------------------------------------------------------
// anomalyLens/validate: the full check of a built dataset (`anomaly-lens validate`).

export interface ValidateParams {
  dataset: string;
  jobId?: string;
  progressToken?: ProgressToken;
}

export interface ValidateProblem {
  file: string;
  line?: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface ValidateResult {
  dataset: string;
  valid: boolean;
  problems: ValidateProblem[];
  counts: Record<'train' | 'val' | 'test', { images: number; regions: number }>;
}

export const ValidateRequest = new RequestType<ValidateParams, ValidateResult, void>('anomalyLens/validate');

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

// ---------------------------------------------------------------------------------------------
// The mask editor: anomalyLens/loadRegions reads an image's regions (found by the dataset's
// conventions, or from `mask`) as a label map; anomalyLens/saveRegions writes them back (a built
// dataset through its lock and switch, a source mask in place). Label maps travel as the base64
// of little-endian uint16 values, one per pixel (0 = no region, else the region's id).

export interface LoadRegionsParams {
  image: string;
  /** A mask file to edit instead of the one the conventions find. */
  mask?: string;
}

export type LoadRegionsResult = RegionsDocument;

export const LoadRegionsRequest = new RequestType<LoadRegionsParams, LoadRegionsResult, void>('anomalyLens/loadRegions');

/**
 * The document as loadRegions gave it, with the edited labels and regions; its `version` is the
 * one it was read at (refused with StaleVersion when the regions moved on since; absent only for
 * a save into a file the user chose).
 */
export type SaveRegionsParams = RegionsDocument & {
  /** Descriptions the user confirmed as new classes of the image's object; any other that is no class of it is refused. */
  newClasses?: string[];
};

export interface SaveRegionsResult {
  /** The files written. */
  files: string[];
  /** Where the regions live now (a built dataset's record names the new mask files). */
  source: RegionsSource;
  /** The version of the regions as saved. */
  version?: string;
}

export const SaveRegionsRequest = new RequestType<SaveRegionsParams, SaveRegionsResult, void>('anomalyLens/saveRegions');

// ---------------------------------------------------------------------------------------------
// The review queue (a job): every region of a built dataset whose label the bundle disagrees with,
// most confident first; cached per bundle. anomalyLens/relabelRegion gives one region another
// description (the model's), through the mask editor's save.

export interface ReviewQueueParams {
  dataset: string;
  /** Default: the embedded default bundle. */
  bundle?: string;
  splits?: ('train' | 'val' | 'test')[];
  jobId?: string;
  progressToken?: ProgressToken;
}

export type { ReviewItem, ReviewQueue };

export const ReviewQueueRequest = new RequestType<ReviewQueueParams, ReviewQueue, void>('anomalyLens/reviewQueue');

export interface RelabelRegionParams {
  image: string;
  /** Index of the region in its record. */
  region: number;
  description: string;
  /** The version of the image's regions the caller read (a review item's); refused with StaleVersion when they moved on. */
  version?: string;
}

export interface RelabelRegionResult {
  /** The version of the image's regions after the relabel. */
  version: string;
}

export const RelabelRegionRequest = new RequestType<RelabelRegionParams, RelabelRegionResult, void>('anomalyLens/relabelRegion');

// ---------------------------------------------------------------------------------------------
// Dataset files as a language: the problems, paths and records of a split file as the editor
// holds it (linted in a worker thread), and what a hover over one of its records shows.

export type { LintedDiagnostic, LinkSpan, QuickFix, RecordPredictions, RecordThumbnail, RegionPrediction, SplitFileLint };

export interface LintSplitFileParams {
  /** The split file (train/val/test.jsonl); its folder is the dataset root. */
  file: string;
  /** Its text as the editor holds it, saved or not. */
  text: string;
}

export const LintSplitFileRequest = new RequestType<LintSplitFileParams, SplitFileLint, void>('anomalyLens/lintSplitFile');

/** A record's files as written in it, relative to the split file's folder. */
export interface RecordFilesParams {
  file: string;
  image: string;
  masks: string[];
}

export interface PreviewRecordParams extends RecordFilesParams {
  /** Index of a region: that region alone, enlarged. */
  focus?: number;
  /** Longest side of the thumbnail (default 256). */
  maxSize?: number;
}

export const PreviewRecordRequest = new RequestType<PreviewRecordParams, RecordThumbnail, void>('anomalyLens/previewRecord');

export interface PredictRecordParams extends RecordFilesParams {
  /** Model bundle folder (default: the embedded default model). */
  bundle?: string;
  /** Descriptions per region (default 3). */
  topK?: number;
  /** Index of the one region to predict (default all). */
  only?: number;
}

export const PredictRecordRequest = new RequestType<PredictRecordParams, RecordPredictions, void>('anomalyLens/predictRecord');

/** Every request the server answers besides the lifecycle ones, for `ping`'s capabilities. */
export const REQUEST_METHODS: readonly string[] = [
  PingRequest.method,
  SplitMaskRequest.method,
  DatasetStatsRequest.method,
  BuildDatasetRequest.method,
  DescribeRegionsRequest.method,
  TrainRequest.method,
  JobsRequest.method,
  CancelJobRequest.method,
  CreateSampleRequest.method,
  ValidateRequest.method,
  EvaluateRequest.method,
  ExportRequest.method,
  ImportWeightsRequest.method,
  LoadRegionsRequest.method,
  SaveRegionsRequest.method,
  ReviewQueueRequest.method,
  RelabelRegionRequest.method,
  LintSplitFileRequest.method,
  PreviewRecordRequest.method,
  PredictRecordRequest.method,
];
