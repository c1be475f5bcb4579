// What the language features ask of the child server: requests, each with a time limit and a
// cancellation token.  The extension's client (extension/client/) is one; it is handed over at
// registration, so this room imports nothing from extension/.
import type * as vscode from 'vscode';
import type { RequestType } from 'vscode-jsonrpc';

export interface ServerRequests {
  request<P, R>(type: RequestType<P, R, unknown>, params: P, options?: { timeoutMs?: number; token?: vscode.CancellationToken }): Promise<R>;
}
