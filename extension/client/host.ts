// The extension's one child server: the client is made on first use and the server process
// starts with its first request; its log (and the jobs' log) goes to the "Anomaly Lens Server"
// output channel. The server's environment (state folder, interpreter, LLM settings and key) is
// worked out before each start; Restricted Mode gives it neither an interpreter nor a key.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ServerClient } from './client';
import { resolvePython } from '../settings/python';
import type { LlmKeyStore } from '../settings/secrets';
import { SECTION, readSettings, serverEnvironment, type Settings } from '../settings/settings';
import { WORKSPACE_FOLDERS_ENV } from '../../server/editor/workspaceFoldersEnv';

export function currentSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return readSettings((key) => config.get(key));
}

export class ServerHost implements vscode.Disposable {
  private client: ServerClient | undefined;
  private channelValue: vscode.LogOutputChannel | undefined;
  private env: Record<string, string> = {};
  private envReady: Promise<void> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Whether jobs run (the job tracker sets it): a busy server is not restarted for new settings. */
  busy: () => boolean = () => false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly keys?: LlmKeyStore,
  ) {
    const changed = () => void this.environmentChanged();
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) changed();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(changed),
      // The server writes a mask the user chose only inside these folders (server/editor/chosenMasks.ts).
      vscode.workspace.onDidChangeWorkspaceFolders(changed),
    );
    if (keys) this.subscriptions.push(keys.onDidChange(changed));
    // What is known at once; the interpreter and the key follow before any job starts (ready()).
    this.env = this.baseEnvironment();
    this.envReady = this.computeEnvironment();
  }

  private baseEnvironment(): Record<string, string> {
    const stateDir = this.context.globalStorageUri.fsPath;
    mkdirSync(stateDir, { recursive: true });
    return serverEnvironment({ settings: currentSettings(), trusted: vscode.workspace.isTrusted, stateDir });
  }

  /** The log of the server and of the jobs it runs. */
  get channel(): vscode.LogOutputChannel {
    this.channelValue ??= vscode.window.createOutputChannel('Anomaly Lens Server', { log: true });
    return this.channelValue;
  }

  /** The client (the server starts with the first request). */
  get(): ServerClient {
    if (!this.client) {
      this.client = new ServerClient({
        serverScript: this.context.asAbsolutePath(path.join('dist', 'server.js')),
        nodePath: currentSettings().nodePath,
        cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
        logger: this.channel,
        env: () => ({ ...this.env, [WORKSPACE_FOLDERS_ENV]: JSON.stringify((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath)) }),
      });
    }
    return this.client;
  }

  /** The client once the server's environment is worked out: what job commands use. */
  async ready(): Promise<ServerClient> {
    await this.envReady?.catch((err: Error) => this.channel.warn(`server environment: ${err.message}`));
    return this.get();
  }

  /** The interpreter the trainer gets (setting, else the Python extension's), in a trusted workspace. */
  async python(): Promise<string | undefined> {
    return vscode.workspace.isTrusted ? resolvePython(currentSettings().pythonPath) : undefined;
  }

  private async computeEnvironment(): Promise<void> {
    const trusted = vscode.workspace.isTrusted;
    const stateDir = this.context.globalStorageUri.fsPath;
    this.env = serverEnvironment({
      settings: currentSettings(),
      trusted,
      python: trusted ? await resolvePython(currentSettings().pythonPath) : undefined,
      apiKey: trusted ? await this.keys?.get() : undefined,
      stateDir,
    });
  }

  /** New settings, key, trust or workspace folders: the next start uses them; a running server without requests restarts now. */
  private async environmentChanged(): Promise<void> {
    this.envReady = this.computeEnvironment();
    await this.envReady;
    const client = this.client;
    if (client?.state === 'running' && !this.busy()) {
      this.channel.info('settings, trust or the LLM key changed: restarting the server');
      await client.restart().catch((err: Error) => this.channel.warn(`restart: ${err.message}`));
    }
  }

  /** Shuts the server down (running requests are cancelled; a training run stops at a checkpoint). */
  async dispose(): Promise<void> {
    for (const s of this.subscriptions) s.dispose();
    await this.client?.dispose();
    this.channelValue?.dispose();
    this.channelValue = undefined;
  }
}
