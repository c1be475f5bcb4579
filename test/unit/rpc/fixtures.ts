// Shared by the child-server tests: the built server, clients that are disposed after the
// test, a log that remembers, waiting for a client's state, label maps as the protocol carries
// them, and the check of a refused request.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ServerClient, type ClientLogger, type ClientState, type ServerClientOptions } from '../../../extension/client/client';
import { ServerRequestError } from '../../../extension/client/errors';
import { ErrorCodes } from '../../../server/rpc/protocol';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const SERVER_SCRIPT = join(REPO_ROOT, 'dist', 'server.js');
export const CLI_SCRIPT = join(REPO_ROOT, 'dist', 'cli.js');

/** Builds dist/ when the server or the CLI is missing (npm run build). */
export function ensureBuilt(): void {
  if (existsSync(SERVER_SCRIPT) && existsSync(CLI_SCRIPT) && existsSync(join(REPO_ROOT, 'dist', 'build-worker.js')) && existsSync(join(REPO_ROOT, 'dist', 'lint-worker.js'))) return;
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed: ${r.stderr}`);
}

export interface MemoryLog extends ClientLogger {
  lines: string[];
}

export function memoryLog(): MemoryLog {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}

/** A client of the built server, disposed when the test ends. */
export function newClient(t: { after: (fn: () => Promise<void>) => void }, options: Partial<ServerClientOptions> = {}): ServerClient {
  const client = new ServerClient({ serverScript: SERVER_SCRIPT, cwd: REPO_ROOT, ...options });
  t.after(() => client.dispose());
  return client;
}

export function waitForState(client: ServerClient, wanted: ClientState, timeoutMs = 10_000): Promise<void> {
  if (client.state === wanted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`client still ${client.state} after ${timeoutMs} ms, waiting for ${wanted}`));
    }, timeoutMs);
    const subscription = client.onDidChangeState((state) => {
      if (state !== wanted) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A label map as the protocol carries it (base64 of little-endian uint16, or "runs:" and base64 of
 * uint32 pairs length, label), read with Node's own base64, apart from the codec under test.
 */
export function labelsOf(text: string): Uint16Array {
  if (text.startsWith('runs:')) {
    const runs = Buffer.from(text.slice('runs:'.length), 'base64');
    const values: number[] = [];
    for (let k = 0; k < runs.length; k += 8) for (let n = runs.readUInt32LE(k); n > 0; n--) values.push(runs.readUInt32LE(k + 4));
    return Uint16Array.from(values);
  }
  const bytes = Buffer.from(text, 'base64');
  return Uint16Array.from({ length: bytes.length / 2 }, (_, i) => bytes.readUInt16LE(i * 2));
}

/** A label map as the protocol carries it, written with Node's own base64. */
export function textOf(labels: Uint16Array): string {
  return Buffer.from(labels.buffer, labels.byteOffset, labels.byteLength).toString('base64');
}

/** For assert.rejects: the server refused the request with `code` and a message that matches. */
export function serverError(code: number, message: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof ServerRequestError, String(err));
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return true;
  };
}

/** For assert.rejects: the server refused the request as bad input, in words that match. */
export function userError(message: RegExp): (err: unknown) => boolean {
  return serverError(ErrorCodes.UserError, message);
}
