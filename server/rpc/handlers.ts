// Wires every request of the protocol to the engine.
import type { MessageConnection } from 'vscode-jsonrpc';
import { buildDatasetRequest, checkBuildParams } from './methods/buildDataset';
import { datasetStats } from './methods/datasetStats';
import { checkDescribeParams, describeRegions } from './methods/describeRegions';
import { checkSplitMaskParams, splitMaskFile } from './methods/splitMask';
import { checkTrainParams, train } from './methods/train';
import type { PredictorCache } from './predictors';
import {
  BuildDatasetRequest,
  DatasetStatsRequest,
  DescribeRegionsRequest,
  PingRequest,
  PROTOCOL_VERSION,
  ProgressNotification,
  REQUEST_METHODS,
  SplitMaskRequest,
  TrainEventNotification,
  TrainRequest,
  type ServerInfo,
} from './protocol';
import type { RequestTracker } from './requests';

export const SERVER_VERSION = process.env.ANOMALY_LENS_VERSION ?? '0.1.0';

export interface ServerContext {
  connection: MessageConnection;
  requests: RequestTracker;
  predictors: PredictorCache;
  log: (message: string) => void;
}

export function serverInfo(requests: RequestTracker, predictors: PredictorCache): ServerInfo {
  return {
    name: 'anomaly-lens',
    version: SERVER_VERSION,
    protocolVersion: PROTOCOL_VERSION,
    pid: process.pid,
    node: process.version,
    capabilities: [...REQUEST_METHODS],
    active: requests.activeMethods(),
    models: predictors.folders(),
  };
}

export function registerHandlers({ connection, requests, predictors, log }: ServerContext): void {
  connection.onRequest(PingRequest, () => serverInfo(requests, predictors));
  requests.handle(SplitMaskRequest, (params) => splitMaskFile(checkSplitMaskParams(params)));
  requests.handle(DatasetStatsRequest, (params) => datasetStats(params));
  requests.handle(BuildDatasetRequest, (params, signal) =>
    buildDatasetRequest(checkBuildParams(params), signal, (progress) => void connection.sendNotification(ProgressNotification, progress)),
  );
  requests.handle(DescribeRegionsRequest, (params) => describeRegions(checkDescribeParams(params), predictors));
  requests.handle(TrainRequest, (params, signal) =>
    train(checkTrainParams(params), signal, {
      progress: (progress) => void connection.sendNotification(ProgressNotification, progress),
      event: (event) => void connection.sendNotification(TrainEventNotification, event),
      log: (text) => log(text.replace(/\n$/, '')),
    }),
  );
}
