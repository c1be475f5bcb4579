// Request and notification types shared by the child server and the extension's client.
import { RequestType, RequestType0 } from 'vscode-jsonrpc';

export interface ServerInfo {
  version: string;
  pid: number;
}

export const Ping = new RequestType0<ServerInfo, void>('anomalyLens/ping');

export interface SplitMaskParams {
  mask: string;
  eps?: number;
  minPts?: number;
  minArea?: number;
}
export interface SplitMaskResult {
  width: number;
  height: number;
  regions: { area: number; bbox: [number, number, number, number]; classId?: number }[];
  noise: number;
}
export const SplitMask = new RequestType<SplitMaskParams, SplitMaskResult, void>('anomalyLens/splitMask');
