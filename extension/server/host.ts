// The extension's one child server: the client is made on first use and the server process
// starts with its first request; its log goes to the "Anomaly Lens Server" output channel.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ServerClient } from './client';

export class ServerHost implements vscode.Disposable {
  private client: ServerClient | undefined;
  private channel: vscode.LogOutputChannel | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {}

  /** The client (the server starts with the first request). */
  get(): ServerClient {
    if (!this.client) {
      this.channel = vscode.window.createOutputChannel('Anomaly Lens Server', { log: true });
      this.client = new ServerClient({
        serverScript: this.context.asAbsolutePath(path.join('dist', 'server.js')),
        nodePath: vscode.workspace.getConfiguration('anomalyLens').get<string>('nodePath'),
        cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
        logger: this.channel,
      });
    }
    return this.client;
  }

  /** Shuts the server down (running requests are cancelled; a training run stops at a checkpoint). */
  async dispose(): Promise<void> {
    await this.client?.dispose();
    this.channel?.dispose();
    this.channel = undefined;
  }
}
