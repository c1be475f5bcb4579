// Loads a built webview bundle (dist/webviews/<name>.js) in headless Chromium inside the page the
// extension host makes (same HTML, same Content-Security-Policy), with `acquireVsCodeApi` stubbed:
// posted messages are recorded, the state survives a reload as VS Code keeps it, and every CSP
// violation, page error or console error is collected so that a test can require there were none.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { makeNonce, webviewHtml } from '../../../extension/panels/webviewHtml';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'out', 'webviews', 'screenshots');
const ORIGIN = 'https://webview.test';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.ttf': 'font/ttf' };

export interface WebviewPage {
  page: Page;
  /** Messages the webview posted (JSON copies), oldest first. */
  posted: unknown[];
  /** CSP violations, uncaught errors and console errors. */
  problems: string[];
  /** Delivers a host → webview message. */
  send(message: unknown): Promise<void>;
  /** Waits for a posted message that `match` accepts and returns it. */
  waitForPosted(match: (m: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  /** The state the webview last saved with setState. */
  state(): Promise<unknown>;
  reload(): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export function requireBuiltBundle(name: string): void {
  const file = join(ROOT, 'dist', 'webviews', `${name}.js`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run node scripts/build.mjs first`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
}

/** acquireVsCodeApi as VS Code gives it: once per page, with a state that outlives a reload. */
const STUB = `
document.addEventListener('securitypolicyviolation', (e) =>
  window.__recordProblem('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + e.sourceFile + ':' + e.lineNumber + ')'));
let acquired = false;
window.acquireVsCodeApi = () => {
  if (acquired) throw new Error('acquireVsCodeApi called twice');
  acquired = true;
  // VS Code sets its theme's colours as --vscode-… variables on the page before the bundle runs.
  for (const [name, value] of Object.entries(window.__theme || {})) document.documentElement.style.setProperty(name, value);
  return {
    postMessage: (m) => window.__recordPost(JSON.stringify(m)),
    getState: () => {
      const s = sessionStorage.getItem('vscode-state');
      return s === null ? undefined : JSON.parse(s);
    },
    setState: (s) => sessionStorage.setItem('vscode-state', JSON.stringify(s)),
  };
};
`;

let browser: Browser | undefined;

async function sharedBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}

/** Theme colours as VS Code passes them to a webview (a dark theme). */
export const DARK_THEME: Record<string, string> = {
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-editorWidget-border': '#454545',
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-yellow': '#cca700',
};

export async function openWebview(name: string, options: { width?: number; height?: number; theme?: Record<string, string> } = {}): Promise<WebviewPage> {
  requireBuiltBundle(name);
  const context = await (await sharedBrowser()).newContext({ viewport: { width: options.width ?? 1100, height: options.height ?? 900 } });
  const page = await context.newPage();
  const posted: unknown[] = [];
  const problems: string[] = [];

  await context.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') {
      // A fresh nonce per load, as the host makes one per page.
      const html = webviewHtml({
        cspSource: ORIGIN,
        nonce: makeNonce(),
        title: name,
        script: `${ORIGIN}/dist/webviews/${name}.js`,
        style: `${ORIGIN}/dist/webviews/${name}.css`,
      });
      return route.fulfill({ status: 200, contentType: 'text/html', body: html });
    }
    const file = join(ROOT, path);
    if (!file.startsWith(join(ROOT, 'dist', 'webviews')) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
  });
  // Anything else (a CDN, a font service) must not be fetched at all.
  await context.route((url) => !url.href.startsWith(ORIGIN) && !url.href.startsWith('data:'), (route) => {
    problems.push(`request outside the webview: ${route.request().url()}`);
    return route.abort();
  });

  await page.exposeFunction('__recordPost', (json: string) => posted.push(JSON.parse(json)));
  await page.exposeFunction('__recordProblem', (text: string) => problems.push(text));
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  // A string, not a function: tsx's transform would add helpers the page does not have.
  await page.addInitScript(`window.__theme = ${JSON.stringify(options.theme ?? {})};\n${STUB}`);
  await page.goto(`${ORIGIN}/index.html`);

  const waitForPosted: WebviewPage['waitForPosted'] = async (match, ms = 5000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = posted.find((m) => match(m as Record<string, unknown>));
      if (found) return found as Record<string, unknown>;
      if (Date.now() > deadline) throw new Error(`no posted message matched within ${ms} ms; posted: ${JSON.stringify(posted)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  return {
    page,
    posted,
    problems,
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    waitForPosted,
    state: () => page.evaluate(() => JSON.parse(sessionStorage.getItem('vscode-state') ?? 'null')),
    reload: async () => {
      posted.length = 0;
      await page.reload();
    },
    screenshot: async (shot) => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const file = join(SCREENSHOTS, `${shot}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: () => context.close(),
  };
}
