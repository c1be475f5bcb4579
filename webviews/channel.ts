// The webview side of the envelope: acquireVsCodeApi once, post requests, route replies and events.
import { type Kinded, type RequestEnvelope, type RequestFunction, type RequestOf, createRequester, isEnvelope, requestFunction } from './protocol';

export interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

/** A webview's side of its request map `M`: each request's reply has the type the map gives it. */
export interface Channel<M, State> {
  vscode: VsCodeApi<State>;
  request: RequestFunction<M>;
}

export function connect<M, Ev extends Kinded, State>(onEvent: (event: Ev) => void): Channel<M, State> {
  const vscode = acquireVsCodeApi<State>();
  const requester = createRequester<RequestOf<M>>((message: RequestEnvelope<RequestOf<M>>) => vscode.postMessage(message));
  window.addEventListener('message', (e: MessageEvent) => {
    const message = e.data;
    if (!isEnvelope(message) || requester.settle(message)) return;
    if (message.type === 'event') onEvent(message.body as Ev);
  });
  // The host answers with the handlers the same map types (extension/panels/panelHost.ts).
  return { vscode, request: requestFunction<M>(requester) };
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
