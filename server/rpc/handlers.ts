// Wires every request of the protocol to the engine; every long request runs as a job.
import { resolve } from 'node:path';
import type { MessageConnection } from 'vscode-jsonrpc';
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
import { loadRegions, saveRegions } from './methods/editorRegions';
import { LanguageMethods, checkLintParams, checkPredictParams, checkPreviewParams } from './methods/datasetText';
import { checkReviewParams, relabel, review } from './methods/review';
import type { JobRegistry, JobSpec } from './jobRegistry';
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
  requests.handle(ReviewQueueRequest, (raw, signal) => {
    const params = checkReviewParams(raw);
    return jobs.run(serverJob('review', params), signal, (job) => review(params, job, notify));
  });
  requests.handle(BuildDatasetRequest, (raw, signal) => {
    const params = checkBuildParams(raw);
    return jobs.run(serverJob('buildDataset', params), signal, (job) => buildDatasetRequest(params, job, notify), (r) => r.cancelled);
  });
  requests.handle(ValidateRequest, (raw, signal) => {
    const params = checkValidateParams(raw);
    return jobs.run(serverJob('validate', params), signal, (job) => validate(params, job, notify));
  });
  requests.handle(CreateSampleRequest, (raw, signal) => {
    const params = checkCreateSampleParams(raw);
    return jobs.run(serverJob('createSample', params), signal, (job) => createSample(params, job, notify));
  });
  requests.handle(EvaluateRequest, (raw, signal) => {
    const params = checkEvaluateParams(raw);
    return jobs.run(serverJob('evaluate', params), signal, (job) => evaluateReport(params, job, notify));
  });
  requests.handle(TrainRequest, (raw, signal) => {
    const params = checkTrainParams(raw);
    return jobs.run(serverJob('train', params), signal, (job) => train(params, job, notify), trainCancelled);
  });
  requests.handle(ExportRequest, (raw, signal) => {
    const params = checkExportParams(raw);
    return jobs.run(serverJob('export', params), signal, (job) => exportBundle(params, job, notify));
  });
  requests.handle(ImportWeightsRequest, (raw, signal) => {
    const params = checkImportWeightsParams(raw);
    return jobs.run(serverJob('importWeights', params), signal, (job) => importBundle(params, job, notify));
  });
}

/** A request's job as the table of jobs declares it, with the id the client chose and its output folder resolved. */
function serverJob<K extends JobKind>(kind: K, params: JobParamsOf<K> & { jobId?: string }): JobSpec {
  const spec = jobSpec(kind, params);
  return { id: params.jobId, ...spec, output: resolve(spec.output) };
}
