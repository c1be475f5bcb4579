// @pure: the child server's protocol (index.ts).
// The child server's protocol (see index.ts): its version, the errors a request fails with, and
// the lifecycle requests (ping, shutdown, exit).
import { NotificationType0, RequestType0 } from 'vscode-jsonrpc';

/** Raised when a request or notification changes incompatibly. */
export const PROTOCOL_VERSION = 1;

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
