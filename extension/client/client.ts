// The extension's client of the child server (dist/server.js): spawns it on first use, sends
// typed requests with time limits and cancellation, passes notifications on, restarts it with
// backoff when it crashes, and ends its process tree on dispose. No `vscode` import: the
// extension passes its log channel as the logger.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  CancellationTokenSource,
  type CancellationToken,
  type Disposable,
  type MessageConnection,
  type NotificationType,
  type RequestType,
  type RequestType0,
} from 'vscode-jsonrpc';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { nodeRuntime } from '../build/cliInvocation';
import {
  ExitNotification,
  PingRequest,
  PROTOCOL_VERSION,
  ProgressNotification,
  ShutdownRequest,
  type ProgressParams,
  type ProgressToken,
  type ServerInfo,
} from '../../server/rpc/protocol';
import { QuietMessageWriter } from '../../server/rpc/quietWriter';
import { ClientDisposedError, RequestTimeoutError, ServerCrashedError, ServerUnavailableError, requestError } from './errors';
import { groupSpawnOptions, killProcessTree } from './processTree';
import { CrashHistory, DEFAULT_RESTART_POLICY, type RestartPolicy } from './restartPolicy';

/** What the client logs to (a VS Code LogOutputChannel fits). */
export interface ClientLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ServerClientOptions {
  /** The server bundle, dist/server.js. */
  serverScript: string;
  /** Node.js to run it with; default the running one (Electron in node mode inside VS Code). */
  nodePath?: string;
  /** Added to the environment the server inherits; a function is asked at each start. */
  env?: Record<string, string> | (() => Record<string, string>);
  cwd?: string;
  logger?: ClientLogger;
  /** Time limit of a request without its own `timeoutMs` (default 30 s; 0 = none). */
  defaultTimeoutMs?: number;
  /** How long a new server may take to answer its first ping (default 15 s). */
  startTimeoutMs?: number;
  /** How long dispose waits for the server to shut down before killing it (default 5 s). */
  shutdownTimeoutMs?: number;
  restart?: Partial<RestartPolicy>;
}

export interface RequestOptions {
  /** Milliseconds until the request fails with RequestTimeoutError and is cancelled on the server; 0 = no limit. */
  timeoutMs?: number;
  /** Cancelling asks the server to cancel the request; its answer (a partial or cancelled result, or an error) still arrives. */
  token?: CancellationToken;
}

/**
 * stopped: not started (or shut down); starting: spawned, waiting for its first ping;
 * running; restarting: crashed, waiting out the backoff; failed: crashed too often;
 * disposed.
 */
export type ClientState = 'stopped' | 'starting' | 'running' | 'restarting' | 'failed' | 'disposed';

interface Session {
  child: ChildProcess;
  connection: MessageConnection;
  /** Resolves when the process has ended (or could not be started). */
  ended: Promise<void>;
  /** Rejecters of the requests waiting for an answer from this process. */
  pending: Set<(err: Error) => void>;
  /** The end is wanted (dispose, restart): no crash. */
  stopping: boolean;
  stderrTail: string[];
}

const STDERR_TAIL_LINES = 20;

/** `promise`'s value, or `fallback` after `ms` (the timer does not outlive the race). */
async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function exitText(code: number | null, signal: NodeJS.Signals | null, error?: Error): string {
  if (error) return `could not be started: ${error.message}`;
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

/** The end of the server's output, with the last error line kept even when a stack trace follows it. */
export function outputSummary(lines: readonly string[], keep = 5): string[] {
  const text = lines.filter((l) => l.trim() !== '');
  const tail = text.slice(-keep);
  let errorAt = text.length - 1;
  while (errorAt >= 0 && !/^\s*(\w+\.)?\w*Error\b/.test(text[errorAt])) errorAt--;
  if (errorAt < 0 || errorAt >= text.length - keep) return tail;
  return [text[errorAt], '…', ...tail];
}

export class ServerClient {
  private stateValue: ClientState = 'stopped';
  private session: Session | undefined;
  private failure: Error | undefined;
  private serverInfo: ServerInfo | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly crashes: CrashHistory;
  private readonly stateListeners = new Set<(state: ClientState) => void>();
  private readonly notificationHandlers = new Map<string, Set<(params: unknown) => void>>();
  private disposing: Promise<void> | undefined;

  constructor(private readonly options: ServerClientOptions) {
    this.crashes = new CrashHistory({ ...DEFAULT_RESTART_POLICY, ...options.restart });
  }

  get state(): ClientState {
    return this.stateValue;
  }

  /** The running server's answer to its first ping. */
  get info(): ServerInfo | undefined {
    return this.stateValue === 'running' ? this.serverInfo : undefined;
  }

  get pid(): number | undefined {
    return this.session?.child.pid;
  }

  onDidChangeState(listener: (state: ClientState) => void): Disposable {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  /** Starts the server unless it runs; resolves with its ping answer. */
  async start(): Promise<ServerInfo> {
    await this.running();
    return this.serverInfo as ServerInfo;
  }

  request<R>(type: RequestType0<R, unknown>, params?: undefined, options?: RequestOptions): Promise<R>;
  request<P, R>(type: RequestType<P, R, unknown>, params: P, options?: RequestOptions): Promise<R>;
  request<P, R>(type: RequestType<P, R, unknown> | RequestType0<R, unknown>, params?: P, options: RequestOptions = {}): Promise<R> {
    const method = type.method;
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 30_000;
    return new Promise<R>((resolve, reject) => {
      const source = new CancellationTokenSource();
      let settled = false;
      let session: Session | undefined;
      const finish = (settle: () => void) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        external?.dispose();
        source.dispose();
        session?.pending.delete(fail);
        settle();
      };
      const fail = (err: Error) => finish(() => reject(err));
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              source.cancel();
              fail(new RequestTimeoutError(method, timeoutMs));
            }, timeoutMs)
          : undefined;
      const external = options.token?.onCancellationRequested(() => source.cancel());
      if (options.token?.isCancellationRequested) source.cancel();

      this.running().then((s) => {
        if (settled) return;
        session = s;
        s.pending.add(fail);
        let sent: Promise<R>;
        try {
          sent = params === undefined ? s.connection.sendRequest<R>(method, source.token) : s.connection.sendRequest<R>(method, params, source.token);
        } catch (err) {
          // The connection closed a moment before the process's exit is seen.
          fail(new ServerCrashedError(`the Anomaly Lens server's connection closed (${(err as Error).message}) before ${method} was sent`));
          return;
        }
        sent.then(
          (result) => finish(() => resolve(result)),
          (err: unknown) => fail(requestError(method, err)),
        );
      }, fail);
    });
  }

  /** Calls `handler` with every notification of this type, from this server and any restarted one. */
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Disposable {
    let handlers = this.notificationHandlers.get(type.method);
    if (!handlers) this.notificationHandlers.set(type.method, (handlers = new Set()));
    const h = handler as (params: unknown) => void;
    handlers.add(h);
    return { dispose: () => handlers.delete(h) };
  }

  /** A fresh token for a long request's `progressToken`. */
  newProgressToken(): ProgressToken {
    return randomUUID();
  }

  /** Progress notifications of one request, by the token it was given. */
  onProgress(token: ProgressToken, handler: (progress: ProgressParams) => void): Disposable {
    return this.onNotification(ProgressNotification, (p) => {
      if (p.token === token) handler(p);
    });
  }

  /** Stops the server (if it runs) and starts a new one; forgets earlier crashes. */
  async restart(): Promise<ServerInfo> {
    if (this.stateValue === 'disposed') throw new ClientDisposedError();
    this.crashes.reset();
    this.failure = undefined;
    clearTimeout(this.restartTimer);
    const old = this.session;
    this.session = undefined;
    this.setState('stopped');
    if (old) await this.stopSession(old, new ServerCrashedError('the Anomaly Lens server was restarted while the request waited for its answer'));
    return this.start();
  }

  /** Shuts the server down (its requests are cancelled), then kills its process tree. */
  dispose(): Promise<void> {
    if (this.disposing) return this.disposing;
    clearTimeout(this.restartTimer);
    const session = this.session;
    this.session = undefined;
    this.setState('disposed');
    this.disposing = session ? this.stopSession(session, new ClientDisposedError()) : Promise.resolve();
    return this.disposing;
  }

  // ------------------------------------------------------------------------------------------

  private setState(state: ClientState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }

  private nextState(): Promise<ClientState> {
    return new Promise((resolve) => {
      const subscription = this.onDidChangeState((state) => {
        subscription.dispose();
        resolve(state);
      });
    });
  }

  /** The running session, starting or waiting for one as the state requires. */
  private async running(): Promise<Session> {
    for (;;) {
      switch (this.stateValue) {
        case 'running':
          return this.session as Session;
        case 'disposed':
          throw new ClientDisposedError();
        case 'failed':
          throw this.failure as Error;
        case 'stopped':
          void this.launch();
          break;
        case 'starting':
        case 'restarting':
          await this.nextState();
          break;
      }
    }
  }

  private log(level: keyof ClientLogger, message: string): void {
    this.options.logger?.[level](message);
  }

  private spawnSession(): Session {
    const runtime = nodeRuntime(this.options.nodePath, process.execPath, process.versions.electron);
    const child = spawn(runtime.command, [this.options.serverScript], {
      cwd: this.options.cwd,
      env: { ...process.env, ...runtime.env, ...(typeof this.options.env === 'function' ? this.options.env() : this.options.env) },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...groupSpawnOptions(),
    });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout as NodeJS.ReadableStream), new QuietMessageWriter(new StreamMessageWriter(child.stdin as NodeJS.WritableStream)), {
      error: (m) => this.log('error', `server connection: ${m}`),
      warn: (m) => this.log('warn', `server connection: ${m}`),
      info: () => undefined,
      log: () => undefined,
    });
    let ended!: () => void;
    const session: Session = { child, connection, ended: new Promise((resolve) => (ended = resolve)), pending: new Set(), stopping: false, stderrTail: [] };

    child.stdin?.on('error', () => undefined); // a write to a server that just died; its exit is handled below
    let partial = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        session.stderrTail.push(line);
        this.log('info', `[server ${child.pid}] ${line}`);
      }
      session.stderrTail.splice(0, Math.max(0, session.stderrTail.length - STDERR_TAIL_LINES));
    });
    connection.onNotification((method, params) => {
      for (const handler of [...(this.notificationHandlers.get(method) ?? [])]) handler(params);
    });
    connection.onError(([err]) => this.log('warn', `server connection: ${err.message}`));

    let done = false;
    const end = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      if (done) return;
      done = true;
      ended();
      this.onSessionEnded(session, exitText(code, signal, error));
      connection.dispose();
    };
    child.on('exit', (code, signal) => end(code, signal));
    child.on('error', (err) => {
      if (child.pid === undefined) end(null, null, err);
      else this.log('warn', `server process: ${err.message}`);
    });
    connection.listen();
    return session;
  }

  private async launch(): Promise<void> {
    this.setState('starting');
    const session = this.spawnSession();
    this.session = session;
    // Spawning failed (no such runtime): the 'error' event ends the session.
    if (session.child.pid === undefined) return;
    const startTimeoutMs = this.options.startTimeoutMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const info = await Promise.race([
        session.connection.sendRequest(PingRequest),
        session.ended.then(() => Promise.reject(new Error('the server ended before answering'))),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer to ping within ${startTimeoutMs} ms`)), startTimeoutMs);
        }),
      ]);
      if (info.protocolVersion !== PROTOCOL_VERSION) {
        session.stopping = true;
        this.failure = new ServerUnavailableError(
          `the Anomaly Lens server ${this.options.serverScript} speaks protocol ${info.protocolVersion}, this extension ${PROTOCOL_VERSION}; reinstall the extension`,
        );
        this.session = undefined;
        this.setState('failed');
        await this.stopSession(session, this.failure);
        return;
      }
      if (this.session !== session || this.stateValue !== 'starting') return;
      this.serverInfo = info;
      this.log('info', `server ${info.version} running (pid ${info.pid}, node ${info.node})`);
      this.setState('running');
    } catch (err) {
      // The exit of the process, forced here if need be, counts as a crash.
      if (!session.stopping) {
        this.log('error', `server did not start: ${(err as Error).message}`);
        if (session.child.pid !== undefined) killProcessTree(session.child.pid);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private onSessionEnded(session: Session, how: string): void {
    const tail = outputSummary(session.stderrTail);
    const message = `the Anomaly Lens server (pid ${session.child.pid ?? '-'}) ${how}${tail.length ? `; its last output:\n${tail.join('\n')}` : ''}`;
    const crash = new ServerCrashedError(message);
    for (const reject of [...session.pending]) reject(crash);
    session.pending.clear();
    if (session.stopping || this.session !== session) return;
    // Whatever the server started in its group goes with it.
    if (session.child.pid !== undefined) killProcessTree(session.child.pid);
    this.session = undefined;
    this.serverInfo = undefined;
    const decision = this.crashes.record();
    const { maxRestarts, windowMs } = this.crashes.policy;
    if (!decision.restart) {
      this.failure = new ServerUnavailableError(
        `${message}\nIt crashed ${decision.crashes} times within ${Math.round(windowMs / 1000)} s and is not restarted again; see the Anomaly Lens log, then restart it.`,
      );
      this.log('error', this.failure.message);
      this.setState('failed');
      return;
    }
    this.log('warn', `${message}\nrestarting it in ${decision.delayMs} ms (restart ${decision.attempt} of at most ${maxRestarts} within ${Math.round(windowMs / 1000)} s)`);
    this.setState('restarting');
    this.restartTimer = setTimeout(() => {
      if (this.stateValue === 'restarting') void this.launch();
    }, decision.delayMs);
  }

  /** Asks the server to shut down and exit, then kills its process tree whatever it did. */
  private async stopSession(session: Session, reason: Error): Promise<void> {
    session.stopping = true;
    for (const reject of [...session.pending]) reject(reason);
    session.pending.clear();
    const graceMs = this.options.shutdownTimeoutMs ?? 5_000;
    const ended = session.ended.then(() => true);
    const shutdown = (async () => {
      await session.connection.sendRequest(ShutdownRequest);
      await session.connection.sendNotification(ExitNotification);
    })().catch(() => undefined); // no answer: the process is killed below
    await within(Promise.race([shutdown, ended]), graceMs, undefined);
    const exited = await within(ended, graceMs, false);
    if (!exited) this.log('warn', `server (pid ${session.child.pid}) did not exit within ${graceMs} ms; killing it`);
    if (session.child.pid !== undefined) killProcessTree(session.child.pid);
    await within(session.ended, graceMs, undefined);
  }
}
