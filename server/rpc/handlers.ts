// Wires every request of the protocol to the engine; every long request runs as a job.
import { resolve } from 'node:path';
import type { MessageConnection, RequestType } from 'vscode-jsonrpc';
import { buildDatasetRequest, checkBuildParams } from './methods/buildDataset';
import { checkCreateSampleParams, createSample } from './methods/createSample';
import { datasetStats } from './methods/datasetStats';
import { checkDescribeParams, describeRegions } from './methods/describeRegions';
import { checkEvaluateParams, evaluateReport } from './methods/evaluate';
import type { JobNotifications } from './methods/jobProgress';
import { checkSplitMaskParams, splitMaskRequest } from './methods/splitMask';
import { checkTrainParams, train, trainCancelled } from './methods/train';
import { checkExportParams, checkImportWeightsParams, exportBundle, importBundle } from './methods/trainerJobs';
import { checkValidateParams, validate } from './methods/validate';
import { checkExportDatasetParams, exportDatasetRequest } from './methods/exportDataset';
import { loadRegions, saveRegions } from './methods/editorRegions';
import { LanguageMethods, checkLintParams, checkPredictParams, checkPreviewParams } from './methods/datasetText';
import { checkReviewParams, relabel, review } from './methods/review';
import type { JobContext, JobRegistry, JobSpec } from './jobRegistry';
import { jobSpec, type JobParamsOf } from '../jobs/jobTable';
import { Params } from './params';
import type { PredictorCache } from './predictors';
import {
  BuildDatasetRequest,
  CancelJobRequest,
  CreateSampleRequest,
  DatasetStatsRequest,
  DescribeRegionsRequest,
  EvaluateRequest,
  ExportDatasetRequest,
  ExportRequest,
  ImportWeightsRequest,
  JobsRequest,
  LintSplitFileRequest,
  PredictRecordRequest,
  PreviewRecordRequest,
  LoadRegionsRequest,
  RelabelRegionRequest,
  ReviewQueueRequest,
  SaveRegionsRequest,
  PingRequest,
  PROTOCOL_VERSION,
  ProgressNotification,
  REQUEST_METHODS,
  SplitMaskRequest,
  TrainEventNotification,
  TrainRequest,
  ValidateRequest,
  type JobKind,
  type JobParams,
  type ServerInfo,
} from './protocol';
import { type RequestTracker, byName } from './requests';
import { TOOL_VERSION } from '../util/version';

export interface ServerContext {
  connection: MessageConnection;
  requests: RequestTracker;
  predictors: PredictorCache;
  jobs: JobRegistry;
  log: (message: string) => void;
}

export function serverInfo(requests: RequestTracker, predictors: PredictorCache): ServerInfo {
  return {
    name: 'anomaly-lens',
    version: TOOL_VERSION,
    protocolVersion: PROTOCOL_VERSION,
    pid: process.pid,
    node: process.version,
    capabilities: [...REQUEST_METHODS],
    active: requests.activeMethods(),
    models: predictors.folders(),
  };
}

export function registerHandlers({ connection, requests, predictors, jobs, log }: ServerContext): void {
  const notify: JobNotifications & { warn(message: string): void } = {
    progress: (progress) => void connection.sendNotification(ProgressNotification, progress),
    event: (event) => void connection.sendNotification(TrainEventNotification, event),
    log: (text) => log(text.replace(/\n$/, '')),
    warn: (message) => log(`warning: ${message}`),
  };
  connection.onRequest(byName(PingRequest), () => serverInfo(requests, predictors));
  connection.onRequest(byName(JobsRequest), () => jobs.list());
  connection.onRequest(byName(CancelJobRequest), (raw) => ({ cancelled: jobs.cancel(Params.of(CancelJobRequest.method, raw).string('id')) }));
  requests.handle(SplitMaskRequest, (params) => splitMaskRequest(checkSplitMaskParams(params)));
  requests.handle(DatasetStatsRequest, (params) => datasetStats(params));
  requests.handle(DescribeRegionsRequest, (params) => describeRegions(checkDescribeParams(params), predictors));
  requests.handle(LoadRegionsRequest, (params) => loadRegions(params));
  requests.handle(SaveRegionsRequest, (params) => saveRegions(params));
  requests.handle(RelabelRegionRequest, (params) => relabel(params));
  const language = new LanguageMethods(predictors);
  requests.handle(LintSplitFileRequest, (params, signal) => language.lint(checkLintParams(params), signal));
  requests.handle(PreviewRecordRequest, (params) => language.preview(checkPreviewParams(params)));
  requests.handle(PredictRecordRequest, (params, signal) => language.predict(checkPredictParams(params), signal));
  // Every long request runs as the job the table of jobs declares (jobTable.ts).
  const handleJob = <K extends JobKind, P extends JobParamsOf<K> & JobParams, R>(
    type: RequestType<P, R, void>,
    kind: K,
    check: (raw: unknown) => P,
    run: (params: P, job: JobContext, notifications: typeof notify) => Promise<R>,
    cancelled?: (result: R) => boolean,
  ): void =>
    requests.handle(type, (raw, signal) => {
      const params = check(raw);
      return jobs.run(serverJob(kind, params), signal, (job) => run(params, job, notify), cancelled);
    });
  handleJob(ReviewQueueRequest, 'review', checkReviewParams, review);
  handleJob(BuildDatasetRequest, 'buildDataset', checkBuildParams, buildDatasetRequest, (r) => r.cancelled);
  handleJob(ValidateRequest, 'validate', checkValidateParams, validate);
  handleJob(ExportDatasetRequest, 'exportDataset', checkExportDatasetParams, exportDatasetRequest);
  handleJob(CreateSampleRequest, 'createSample', checkCreateSampleParams, createSample);
  handleJob(EvaluateRequest, 'evaluate', checkEvaluateParams, evaluateReport);
  handleJob(TrainRequest, 'train', checkTrainParams, train, trainCancelled);
  handleJob(ExportRequest, 'export', checkExportParams, exportBundle);
  handleJob(ImportWeightsRequest, 'importWeights', checkImportWeightsParams, importBundle);
}

/** A request's job as the table of jobs declares it, with the id the client chose and its output folder resolved. */
function serverJob<K extends JobKind>(kind: K, params: JobParamsOf<K> & { jobId?: string }): JobSpec {
  const spec = jobSpec(kind, params);
  return { id: params.jobId, ...spec, output: resolve(spec.output) };
}
