// The child server: JSON-RPC over stdio (vscode-jsonrpc), spawned by the extension's client.
// stdout carries only the protocol; logs go to stderr. It ends cleanly on `shutdown`/`exit`,
// when stdin closes (the client is gone) and on SIGTERM/SIGINT: requests in progress are
// cancelled (a training run stops at a checkpoint) and the open models are closed.  A frame it
// cannot read leaves the stream out of step for good: it logs why and exits with code 1, and the
// client starts a new server.
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { errorMessage } from '../util/errors';
import { FrameChecker } from './frameCheck';
import { registerHandlers } from './handlers';
import { TOOL_VERSION } from '../util/version';
import { JobRegistry, defaultStateDir } from './jobRegistry';
import { PredictorCache } from './predictors';
import { ExitNotification, JobChangedNotification, ShutdownRequest } from './protocol';
import { RequestTracker } from './requests';
import { claimStdout, log } from './stdio';
import { QuietMessageWriter } from './quietWriter';

/** How long shutdown waits for cancelled requests (a trainer writing its checkpoint) to end. */
const SHUTDOWN_GRACE_MS = 60_000;

const protocolOut = claimStdout();
const connection = createMessageConnection(new StreamMessageReader(process.stdin), new QuietMessageWriter(new StreamMessageWriter(protocolOut)), {
  error: (m) => log(`error: ${m}`),
  warn: (m) => log(`warning: ${m}`),
  info: () => undefined,
  log: () => undefined,
});
const requests = new RequestTracker(connection, log);
const jobs = new JobRegistry(defaultStateDir(), (job) => void connection.sendNotification(JobChangedNotification, job), log);
const predictors = new PredictorCache({ warn: (message) => log(`warning: ${message}`) }, log);

let stopping: Promise<void> | undefined;
function shutdown(reason: string): Promise<void> {
  stopping ??= (async () => {
    log(`shutting down (${reason})`);
    await requests.cancelAll(SHUTDOWN_GRACE_MS);
    await predictors.closeAll();
  })();
  return stopping;
}

/**
 * Exits once the answers in the connection's queue have reached stdout (vscode-jsonrpc writes
 * them a few event-loop turns after the handler returns), or after a second if stdout is gone.
 */
function exit(reason: string, code = 0): void {
  void shutdown(reason).finally(() => {
    const done = () => {
      connection.dispose();
      process.exit(code);
    };
    setTimeout(done, 1000);
    setTimeout(() => protocolOut.end(done), 50);
  });
}

connection.onRequest(ShutdownRequest, () => shutdown('shutdown request'));
connection.onNotification(ExitNotification, () => exit('exit notification'));
connection.onClose(() => exit('the client closed the connection'));
connection.onError(([err]) => log(`protocol error: ${errorMessage(err)}`));
const frames = new FrameChecker();
const onInput = (chunk: Buffer) => {
  const broken = frames.push(chunk);
  if (broken === undefined) return;
  process.stdin.off('data', onInput);
  log(`broken message frame from the client: ${broken}; exiting so that a new server can be started`);
  exit('broken message frame', 1);
};
process.stdin.on('data', onInput);
process.on('SIGTERM', () => exit('SIGTERM'));
process.on('SIGINT', () => exit('SIGINT'));
process.on('unhandledRejection', (reason) => log(`unhandled rejection: ${reason instanceof Error && reason.stack ? reason.stack : String(reason)}`));

registerHandlers({ connection, requests, predictors, jobs, log });
connection.listen();
log(`anomaly-lens server ${TOOL_VERSION} (pid ${process.pid}, node ${process.version}) listening on stdio`);
