// The child server (dist/server.js) fed raw bytes on stdin, as a broken or hostile client would
// send them: parameters by position are refused on every method, and a frame it cannot read
// makes it exit (so that the extension's client starts a new one) instead of going deaf.
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ErrorCodes, PingRequest, REQUEST_METHODS, type ServerInfo } from '../../../server/rpc/protocol';
import { REPO_ROOT, SERVER_SCRIPT, ensureBuilt, isAlive, memoryLog, newClient, waitForState } from './fixtures';

/** Long enough for a loaded machine; a server that never exits fails the test instead of hanging it. */
const KILL_AFTER_MS = 30_000;

interface Answer {
  id: number;
  result?: unknown;
  error?: { code: number; message: string };
}

class RawServer {
  readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private readonly answers = new Map<number, Answer>();
  private readonly waiting = new Map<number, (a: Answer) => void>();
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly killTimer: NodeJS.Timeout;
  private nextId = 1;

  constructor() {
    this.child = spawn(process.execPath, [SERVER_SCRIPT], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.killTimer = setTimeout(() => this.child.kill('SIGKILL'), KILL_AFTER_MS);
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => clearTimeout(this.killTimer));
    this.child.stdin.on('error', () => undefined);
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (s: string) => (this.stderr += s));
    this.child.stdout.on('data', (chunk: Buffer) => this.read(chunk));
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString('ascii'))?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as Answer;
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (typeof message.id !== 'number') continue;
      const waiter = this.waiting.get(message.id);
      if (waiter) waiter(message);
      else this.answers.set(message.id, message);
    }
  }

  write(bytes: string | Buffer): void {
    this.child.stdin.write(bytes);
  }

  frame(body: unknown): void {
    const json = Buffer.from(JSON.stringify(body), 'utf8');
    this.write(Buffer.concat([Buffer.from(`Content-Length: ${json.length}\r\n\r\n`, 'ascii'), json]));
  }

  /** The answer to request `id`, whenever it was sent. */
  answer(id: number): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      const early = this.answers.get(id);
      if (early) return resolve(early);
      this.waiting.set(id, resolve);
      void this.exited.then(({ code, signal }) => reject(new Error(`the server exited (${code ?? signal}) before answering request ${id}\n${this.stderr}`)));
    });
  }

  request(method: string, params?: unknown): Promise<Answer> {
    const id = this.nextId++;
    const answered = this.answer(id);
    this.frame({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    return answered;
  }

  stop(): void {
    clearTimeout(this.killTimer);
    if (isAlive(this.child.pid as number)) this.child.kill('SIGKILL');
  }
}

before(() => ensureBuilt());

describe('the child server fed raw frames', () => {
  const servers: RawServer[] = [];
  const start = () => {
    const server = new RawServer();
    servers.push(server);
    return server;
  };
  after(() => servers.forEach((s) => s.stop()));

  it('answers InvalidParams naming the method for parameters by position, on every method it lists, and goes on answering', async () => {
    const server = start();
    const info = (await server.request(PingRequest.method)).result as ServerInfo;
    assert.deepEqual(info.capabilities, [...REQUEST_METHODS]);
    for (const method of info.capabilities) {
      for (const params of [[], [{}], [{ file: 'a', text: 'b' }, 'extra']]) {
        const answer = await server.request(method, params);
        const what = `${method} with ${JSON.stringify(params)}: ${JSON.stringify(answer)}`;
        assert.equal(answer.error?.code, ErrorCodes.InvalidParams, what);
        assert.ok(answer.error?.message.includes(method), what);
        assert.match(answer.error?.message ?? '', /by name|not a list|position/, what);
      }
    }
    assert.equal(((await server.request(PingRequest.method)).result as ServerInfo).pid, server.child.pid);
    assert.doesNotMatch(server.stderr, /onCancellationRequested|TypeError/);
  });

  const broken: Array<[string, string | Buffer, RegExp]> = [
    ['a Content-Length that is not a number', 'Content-Length: abc\r\n\r\n{}', /Content-Length "abc"/],
    ['no Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}', /no Content-Length/],
    ['a negative Content-Length', 'Content-Length: -5\r\n\r\n{}', /Content-Length "-5"/],
    ['a Content-Length past the largest message', 'Content-Length: 99999999999999999999\r\n\r\n{}', /larger than/],
    ['a header line without a colon', 'Content-Length 12\r\n\r\n{}', /without ':'/],
    ['a header that never ends', Buffer.alloc(70_000, 'x'), /header longer than/],
  ];
  for (const [what, bytes, named] of broken) {
    it(`exits with an error line on stderr after ${what}`, async () => {
      const server = start();
      await server.request(PingRequest.method);
      server.write(bytes);
      const { code, signal } = await server.exited;
      assert.equal(signal, null, `killed by ${signal} (it did not exit by itself)\n${server.stderr}`);
      assert.notEqual(code, 0, server.stderr);
      const line = server.stderr.split('\n').find((l) => l.startsWith('broken message frame'));
      assert.ok(line, server.stderr);
      assert.match(line, named);
    });
  }

  it('a frame split across writes, and two frames in one write, are read as they are', async () => {
    const server = start();
    const json = JSON.stringify({ jsonrpc: '2.0', id: 100, method: PingRequest.method });
    const frame = `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
    await server.request(PingRequest.method);
    const byHand = server.answer(100);
    for (const piece of [frame.slice(0, 7), frame.slice(7, 20), frame.slice(20) + frame]) server.write(piece);
    assert.equal(((await byHand).result as ServerInfo).pid, server.child.pid);
    assert.equal(((await server.request(PingRequest.method)).result as ServerInfo).pid, server.child.pid);
  });
});

describe("the extension's client and a server that exits by itself", () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'al-raw-frames-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts a new server when the old one exits after a broken frame', async (t) => {
    // The real server, whose stdin receives a broken header when it gets SIGUSR2, as if the client had sent it.
    const script = join(dir, 'server-with-broken-frame.js');
    writeFileSync(script, `process.on('SIGUSR2', () => process.stdin.push(Buffer.from('Content-Length: abc\\r\\n\\r\\n')));\nrequire(${JSON.stringify(SERVER_SCRIPT)});\n`);
    const log = memoryLog();
    const client = newClient(t, { serverScript: script, logger: log, restart: { baseDelayMs: 20, maxRestarts: 3 } });
    const first = await client.request(PingRequest);
    const restarting = waitForState(client, 'restarting', KILL_AFTER_MS);
    process.kill(first.pid, 'SIGUSR2');
    await restarting;
    const second = await client.request(PingRequest, undefined, { timeoutMs: KILL_AFTER_MS });
    assert.notEqual(second.pid, first.pid);
    assert.equal(client.state, 'running');
    assert.ok(!isAlive(first.pid));
    assert.ok(log.lines.some((l) => l.includes(`server (pid ${first.pid}) exited with code 1`)), log.lines.join('\n'));
    assert.ok(log.lines.some((l) => l.includes(`[server ${first.pid}] broken message frame`)), log.lines.join('\n'));
  });
});
