// The page every Anomaly Lens webview loads: one script and its stylesheet from dist/webviews,
// under a Content-Security-Policy that allows nothing else (no inline script or style, no network,
// images only from the webview's own resources or data: URIs). Pure: the browser tests build the
// same page with it.
import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../../server/util/html';

export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** `cspSource` is webview.cspSource: the origin asWebviewUri's URIs have. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export interface WebviewPage {
  cspSource: string;
  nonce: string;
  title: string;
  /** URIs (as webview.asWebviewUri gives them) of the bundle and its stylesheet. */
  script: string;
  style: string;
}

export function webviewHtml(page: WebviewPage): string {
  const csp = escapeHtml(contentSecurityPolicy(page.cspSource, page.nonce));
  const nonce = escapeHtml(page.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(page.style)}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${escapeHtml(page.script)}"></script>
</body>
</html>
`;
}
