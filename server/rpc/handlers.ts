import type { MessageConnection } from 'vscode-jsonrpc';
import { Ping } from './protocol';

export function registerHandlers(connection: MessageConnection): void {
  connection.onRequest(Ping, () => ({ version: '0.1.0', pid: process.pid }));
}
