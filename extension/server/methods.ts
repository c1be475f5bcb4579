// The child server's job methods as the extension calls them: re-exported from the protocol
// module so commands, views and panels import them from one place.
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { TrainEvent } from '../../server/jobs/trainProgress';

export type JobKind = 'createSample' | 'buildDataset' | 'validate' | 'train' | 'evaluate' | 'export' | 'importWeights';
export type JobState = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled';
export interface JobInfo {
  id: string;
  kind: JobKind;
  title: string;
  state: JobState;
  gpu: boolean;
  queuedAt: string;
  startedAt?: string;
  endedAt?: string;
  progress?: { done: number; total: number; message?: string };
  output?: string;
  lastEvent?: TrainEvent;
  error?: { message: string; file?: string; kind: 'user' | 'internal' };
  result?: unknown;
}
export const JobsRequest = new RequestType0<JobInfo[], void>('anomalyLens/jobs');
export const JobChangedNotification = new NotificationType<JobInfo>('anomalyLens/jobChanged');
export const CancelJobRequest = new RequestType<{ id: string }, { cancelled: boolean }, void>('anomalyLens/cancelJob');

export interface CreateSampleParams { out: string; seed?: number; scale?: number; size?: number; jobId?: string; progressToken?: string }
export interface CreateSampleResult { out: string; synthetic: string; mvtec: string; images: number }
export const CreateSampleRequest = new RequestType<CreateSampleParams, CreateSampleResult, void>('anomalyLens/createSample');

export interface ValidateParams { dataset: string; jobId?: string; progressToken?: string }
export interface ValidateResult {
  dataset: string;
  valid: boolean;
  problems: { file: string; line?: number; message: string; severity: 'error' | 'warning' }[];
  counts: Record<'train' | 'val' | 'test', { images: number; regions: number }>;
}
export const ValidateRequest = new RequestType<ValidateParams, ValidateResult, void>('anomalyLens/validate');

export interface EvaluateParams {
  dataset: string;
  split?: 'train' | 'val' | 'test';
  bundle?: string;
  baseline?: string;
  candidates?: 'all' | 'object';
  out: string;
  jobId?: string;
  progressToken?: string;
}
export interface EvaluateResult { out: string; reportJson: string; reportHtml: string; total: { regions: number; model: number; baseline?: number }; problems: number }
export const EvaluateRequest = new RequestType<EvaluateParams, EvaluateResult, void>('anomalyLens/evaluate');

export interface ExportParams { run: string; out: string; checkpoint?: 'best' | 'last' | string; python?: string; jobId?: string; progressToken?: string }
export interface ExportResult { bundle: string }
export const ExportRequest = new RequestType<ExportParams, ExportResult, void>('anomalyLens/export');

export interface ImportWeightsParams { clip: string; alpha?: string; vocab: string; out: string; wholeImage?: boolean; python?: string; jobId?: string; progressToken?: string }
export interface ImportWeightsResult { bundle: string; licences: string[] }
export const ImportWeightsRequest = new RequestType<ImportWeightsParams, ImportWeightsResult, void>('anomalyLens/importWeights');

export {
  BuildDatasetRequest,
  DescribeRegionsRequest,
  TrainEventNotification,
  TrainRequest,
  type BuildDatasetParams,
  type BuildDatasetResult,
  type DescribeRegionsParams,
  type DescribeRegionsResult,
  type TrainOptions,
  type TrainParams,
  type TrainResult,
} from '../../server/rpc/protocol';
export type { TrainEvent } from '../../server/jobs/trainProgress';
