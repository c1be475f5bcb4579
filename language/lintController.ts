// Diagnostics of the open split files, worked out by the child server in a worker thread: each
// document is linted a moment after its last change (a newer version cancels an older request),
// and again when a file of its dataset changes on disk.  A saved document is sent by its path
// only (lintParams.ts); one the server cannot read so (a link, say) is sent again with its text.
// In a trusted workspace the server opens the hovers' model meanwhile.  The last result of each
// document also feeds its quick fixes, links and code lenses.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LintSplitFileRequest, type LintedDiagnostic, type SplitFileLint } from '../server/rpc/protocol';
import { lintParams, readableFromDisk, refusedByServer } from './lintParams';
import type { ServerRequests } from './serverRequests';
import { isSplitFile } from './splitFiles';

export const DIAGNOSTIC_SOURCE = 'anomaly-lens';

/**
 * How long after the last keystroke a document is linted: longer for long files, whose text is
 * sent whole (a file of 100,000 lines, about 30 MB, waits about 2 s).
 */
export function lintDelay(length: number): number {
  return Math.min(2000, 300 + Math.round(length / 20_000));
}

export interface LintState {
  version: number;
  result: SplitFileLint;
}

function toRange(r: LintedDiagnostic['range']): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function toDiagnostic(d: LintedDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = d.code;
  return diagnostic;
}

export class LintController implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, vscode.CancellationTokenSource>();
  private readonly states = new Map<string, LintState>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires when a document's lint result changes. */
  readonly onDidLint = this.changed.event;

  constructor(
    private readonly client: () => ServerRequests,
    private readonly log: (message: string) => void,
    /** The model the hovers predict with (no bundle: the embedded default), for the server to open while a file is checked; undefined: none. */
    private readonly hoverModel: () => { bundle?: string } | undefined = () => undefined,
  ) {
    const relintDataset = (uri: vscode.Uri) => {
      for (const document of vscode.workspace.textDocuments) {
        if (isSplitFile(document) && uri.fsPath.startsWith(path.dirname(document.fileName) + path.sep)) this.schedule(document, 1000);
      }
    };
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{png,jpg,jpeg,bmp,tif,tiff,json}');
    this.subscriptions.push(
      this.collection,
      this.changed,
      watcher,
      watcher.onDidChange(relintDataset),
      watcher.onDidCreate(relintDataset),
      watcher.onDidDelete(relintDataset),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, lintDelay(e.document.offsetAt(e.document.lineAt(e.document.lineCount - 1).range.end)))),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    );
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  /** The last result for `document`, when it is for its current version. */
  current(document: vscode.TextDocument): SplitFileLint | undefined {
    const state = this.states.get(document.uri.toString());
    return state && state.version === document.version ? state.result : undefined;
  }

  /** The last result for `document`, whatever version it was for. */
  last(document: vscode.TextDocument): LintState | undefined {
    return this.states.get(document.uri.toString());
  }

  schedule(document: vscode.TextDocument, delay: number): void {
    if (!isSplitFile(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.lint(document);
      }, delay),
    );
  }

  private async lint(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed) return;
    const key = document.uri.toString();
    this.inFlight.get(key)?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.inFlight.set(key, source);
    const version = document.version;
    try {
      const byPath = readableFromDisk(document);
      const hoverModel = this.hoverModel();
      const params = (fromDisk: boolean) => ({ ...lintParams(document, fromDisk), ...(hoverModel ? { hoverModel } : {}) });
      const ask = (fromDisk: boolean) => this.client().request(LintSplitFileRequest, params(fromDisk), { token: source.token, timeoutMs: 0 });
      const result = await ask(byPath).catch((err: unknown) => {
        if (!byPath || !refusedByServer(err) || source.token.isCancellationRequested || document.isClosed || document.version !== version) throw err;
        this.log(`checking ${document.fileName} by its path failed (${(err as Error).message}); its text is sent instead`);
        return ask(false);
      });
      if (source.token.isCancellationRequested || document.isClosed || document.version !== version) return;
      this.states.set(key, { version, result });
      const diagnostics = result.diagnostics.map(toDiagnostic);
      if (result.more > 0) {
        diagnostics.push(new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `${result.more} more problems in this file are not shown`, vscode.DiagnosticSeverity.Information));
      }
      this.collection.set(document.uri, diagnostics);
      this.changed.fire(document.uri);
    } catch (err) {
      if (!source.token.isCancellationRequested) this.log(`checking ${document.fileName} failed: ${(err as Error).message}`);
    } finally {
      if (this.inFlight.get(key) === source) this.inFlight.delete(key);
      source.dispose();
    }
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.inFlight.get(key)?.cancel();
    this.states.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const source of this.inFlight.values()) source.cancel();
    for (const s of this.subscriptions) s.dispose();
  }
}
