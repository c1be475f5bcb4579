// What every Anomaly Lens webview panel shares on the host: its options (scripts on, only the
// built bundles readable, no context kept while hidden), its page, and the envelope's host side.
import * as vscode from 'vscode';
import { type EventEnvelope, type Handlers, type Kinded, type RequestEnvelope, answer, dispatch, isEnvelope } from '../../webviews/protocol';
import { makeNonce, webviewHtml } from './webviewHtml';

export function bundlesUri(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webviews');
}

export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [bundlesUri(extensionUri)],
    // The webviews restore themselves from their state and the host's replay on 'ready'.
    retainContextWhenHidden: false,
  };
}

/** Sets the panel's options and page: dist/webviews/<bundle>.js and .css under a fresh nonce. */
export function loadPage(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, bundle: string, title: string): void {
  const webview = panel.webview;
  webview.options = panelOptions(extensionUri);
  const base = bundlesUri(extensionUri);
  webview.html = webviewHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    title,
    script: webview.asWebviewUri(vscode.Uri.joinPath(base, `${bundle}.js`)).toString(),
    style: webview.asWebviewUri(vscode.Uri.joinPath(base, `${bundle}.css`)).toString(),
  });
}

/**
 * Answers the webview's requests with the handler of their kind in `handlers` (the request map `M`
 * types each one's reply; a throw, or a kind `M` does not declare, becomes an error reply) and
 * returns the function that posts events to it. Events posted while the panel is hidden are
 * dropped: the webview asks for everything again with its next request on load.
 */
export function serveWebview<M, Ev extends Kinded>(panel: vscode.WebviewPanel, handlers: Handlers<M>, disposables: vscode.Disposable[]): (event: Ev) => void {
  const handle = dispatch(handlers);
  disposables.push(
    panel.webview.onDidReceiveMessage(async (message: unknown) => {
      if (!isEnvelope(message) || message.type !== 'request') return;
      const reply = await answer(message as RequestEnvelope<Kinded>, handle);
      post(reply);
    }),
  );
  function post(message: unknown): void {
    try {
      void panel.webview.postMessage(message).then(undefined, () => undefined);
    } catch {
      // The panel was closed meanwhile.
    }
  }
  return (event: Ev) => post({ type: 'event', body: event } satisfies EventEnvelope<Ev>);
}
