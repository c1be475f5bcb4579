// @pure: the child server's protocol, which the extension imports: types, and vscode-jsonrpc's message types.
// The child server's JSON-RPC protocol (vscode-jsonrpc over stdio): request and notification
// types shared by the server (server/rpc) and the extension's client (extension/client).
// Paths in parameters are absolute, or relative to the server's working folder.
// Types only: besides vscode-jsonrpc's message types it imports nothing that runs (no Node, no
// `vscode`, no engine code), so the extension and the webviews can import it (see
// test/unit/protocol). The design: docs/architecture.md.
// One module per domain: server.ts (version, errors, lifecycle), jobs.ts (progress, jobs),
// datasets.ts, models.ts, editor.ts (mask editor, review queue), datasetText.ts (split files).
import { BuildDatasetRequest, CreateSampleRequest, DatasetStatsRequest, ExportDatasetRequest, SplitMaskRequest, ValidateRequest } from './datasets';
import { LintSplitFileRequest, PredictRecordRequest, PreviewRecordRequest } from './datasetText';
import { LoadRegionsRequest, RelabelRegionRequest, ReviewQueueRequest, SaveRegionsRequest } from './editor';
import { CancelJobRequest, JobsRequest } from './jobs';
import { DescribeRegionsRequest, EvaluateRequest, ExportRequest, ImportWeightsRequest, TrainRequest } from './models';
import { PingRequest } from './server';

export * from './server';
export * from './jobs';
export * from './datasets';
export * from './models';
export * from './editor';
export * from './datasetText';

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
  ExportDatasetRequest.method,
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
