// The webview side of the envelope: acquireVsCodeApi once, post requests, route replies and events.
import { type Kinded, type RequestEnvelope, createRequester, isEnvelope } from './protocol';

export interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

export interface Channel<Req extends Kinded, State> {
  vscode: VsCodeApi<State>;
  request(body: Req): Promise<unknown>;
}

export function connect<Req extends Kinded, Ev extends Kinded, State>(onEvent: (event: Ev) => void): Channel<Req, State> {
  const vscode = acquireVsCodeApi<State>();
  const requester = createRequester<Req>((message: RequestEnvelope<Req>) => vscode.postMessage(message));
  window.addEventListener('message', (e: MessageEvent) => {
    const message = e.data;
    if (!isEnvelope(message) || requester.settle(message)) return;
    if (message.type === 'event') onEvent(message.body as Ev);
  });
  return { vscode, request: (body) => requester.request(body) };
}

/** A theme colour (a --vscode-… variable) as a concrete colour for canvas drawing. */
export function themeColour(variable: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(variable).trim();
  return value || fallback;
}

/** document.createElement with a class and text, the only way the webviews build their DOM (no innerHTML). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
