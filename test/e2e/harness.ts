// One real-VS-Code session: code-server on a temporary home, a workspace, Debian's Chromium
// driving the workbench, and optionally a test module run in the extension host. The
// extension-side module writes its results (test/e2e/suite/runner.ts), then keeps the
// extension host up while the browser-side checks run against what it left behind.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import type { SuiteResults } from './suite/runner';

export const ROOT = resolve(__dirname, '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'out', 'e2e', 'screenshots');

export interface Check {
  name: string;
  run: (page: Page, session: SessionContext) => Promise<void>;
}

export interface SessionContext {
  home: string;
  workspace: string;
  /** Saves a screenshot of the whole workbench as out/e2e/screenshots/<name>.png. */
  screenshot: (name: string) => Promise<string>;
}

export interface SessionSpec {
  name: string;
  /** Code-server binary entry (codeServerEntry). */
  entry: string;
  /** Writes the workspace's files before the workbench opens. */
  prepare?: (workspace: string, home: string) => void | Promise<void>;
  /** The extension folder loaded as under development (absent: only installed extensions). */
  extensionDevelopmentPath?: string;
  /** A test module (TypeScript) bundled and run in the extension host. */
  hostTests?: string;
  /** VSIX files installed (code-server --install-extension) before the workbench opens. */
  install?: (home: string) => string[] | Promise<string[]>;
  checks: Check[];
  /** The whole session, including the checks. */
  timeoutMs: number;
  env?: Record<string, string>;
  /** User settings (settings.json) of the session's fresh profile. */
  settings?: Record<string, unknown>;
}

/**
 * A quiet first start: no welcome page or tips over the workbench the tests look at. Saving as
 * desktop VS Code does by default: a browser workbench otherwise saves every edit on its own a
 * second after it (files.autoSave "afterDelay"), so on a busy machine a document was saved
 * before the check's Revert or Save All reached it.
 */
export const BASE_SETTINGS = {
  'files.autoSave': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  // No walkthrough offered over the workbench the checks look at (the walkthrough session turns it on).
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

export interface CheckResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

export interface SessionResult {
  name: string;
  host?: SuiteResults;
  checks: CheckResult[];
  /** A failure of the session itself (start-up, time-out, host module that never reported). */
  error?: string;
  failureScreenshot?: string;
  log: string[];
  seconds: number;
}

async function waitForFile(file: string): Promise<void> {
  while (!existsSync(file)) await new Promise((r) => setTimeout(r, 100));
}

export async function bundleHostTests(entry: string, outFile: string): Promise<void> {
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

function workbenchUrl(port: number, workspace: string, payload: [string, string][]): string {
  const query = `folder=${encodeURIComponent(workspace)}`;
  return `http://127.0.0.1:${port}/?${query}${payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no end within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Installs a VSIX into the session's extensions folder with code-server's own command line. */
function installExtension(entry: string, home: string, vsix: string): void {
  const r = spawnSync(
    process.execPath,
    [entry, '--user-data-dir', join(home, 'user-data'), '--extensions-dir', join(home, 'extensions'), '--install-extension', vsix],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} exited with ${r.status}:\n${r.stdout}\n${r.stderr}`);
}

export async function runSession(spec: SessionSpec): Promise<SessionResult> {
  const started = Date.now();
  const home = mkdtempSync(join(tmpdir(), `anomaly-lens-e2e-${spec.name}-`));
  const workspace = join(home, 'workspace');
  mkdirSync(workspace);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const resultsFile = join(home, 'results.json');
  const result: SessionResult = { name: spec.name, checks: [], log: [], seconds: 0 };

  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  };
  const onSignal = () => void cleanup().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await spec.prepare?.(workspace, home);
    mkdirSync(join(home, 'extensions'), { recursive: true });
    mkdirSync(join(home, 'user-data', 'User'), { recursive: true });
    writeFileSync(join(home, 'user-data', 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...spec.settings }, null, 2));
    for (const vsix of (await spec.install?.(home)) ?? []) installExtension(spec.entry, home, vsix);
    const payload: [string, string][] = [];
    let testsJs: string | undefined;
    server = await startCodeServer({ entry: spec.entry, home, workspace, env: { ANOMALY_LENS_E2E_RESULTS: resultsFile, ...spec.env } });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server?.port}${p}`;
    if (spec.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(spec.extensionDevelopmentPath)]);
    if (spec.hostTests) {
      testsJs = join(home, 'host-tests.js');
      await bundleHostTests(spec.hostTests, testsJs);
      payload.push(['extensionTestsPath', remote(testsJs)]);
    }

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((r) => (reportExit = r));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      result.log.push(`[${type}] ${typeof args === 'string' ? args : JSON.stringify(args)}`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    await page.goto(workbenchUrl(server.port, workspace, payload));

    const context: SessionContext = {
      home,
      workspace,
      screenshot: async (name) => {
        const file = join(SCREENSHOTS, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
    };
    const runChecks = async () => {
      for (const check of spec.checks) {
        const t0 = Date.now();
        try {
          await check.run(page, context);
          result.checks.push({ name: check.name, ok: true, ms: Date.now() - t0 });
        } catch (err) {
          result.checks.push({ name: check.name, ok: false, ms: Date.now() - t0, error: (err as Error).message.split('\n').slice(0, 3).join('\n') });
          result.failureScreenshot ??= await context.screenshot(`failure-${spec.name}`).catch(() => undefined);
        }
      }
    };

    await withTimeout(
      (async () => {
        if (spec.hostTests) {
          const first = await Promise.race([exited.then(() => 'exited' as const), waitForFile(resultsFile).then(() => 'results' as const)]);
          if (first === 'results') {
            result.host = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults;
            await runChecks();
            writeFileSync(`${resultsFile}.checked`, '');
          }
          const code = await exited;
          if (!result.host && existsSync(resultsFile)) result.host = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults;
          if (!result.host) result.error = 'the extension-host test module did not run to its end';
          else if (code !== 0 && result.host.failed === 0) result.error = `the workbench reported exit code ${code}`;
        } else {
          await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
          await runChecks();
        }
      })(),
      spec.timeoutMs,
      `session ${spec.name}`,
    );
  } catch (err) {
    result.error = (err as Error).message;
  } finally {
    const failed = result.error || result.checks.some((c) => !c.ok) || (result.host?.failed ?? 0) > 0;
    if (failed) {
      result.log = [
        ...result.log.filter((l) => /^\[(error|warn)\]/.test(l)).slice(-60),
        '--- code-server output ---',
        ...(server?.log() ?? '').split('\n').slice(-40),
      ];
    } else {
      result.log = [];
    }
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanup();
    result.seconds = (Date.now() - started) / 1000;
  }
  return result;
}

/** Prints a session's results; returns the numbers passed and failed. */
export function report(result: SessionResult): { passed: number; failed: number } {
  console.log(`\n${result.name} (${result.seconds.toFixed(1)} s)`);
  if (result.log.length) console.log(result.log.join('\n'));
  if (result.host) {
    console.log('  extension host:');
    for (const t of result.host.tests) {
      console.log(`    ${t.ok ? '✓' : '✗'} ${t.name} (${t.ms} ms)`);
      if (t.error) console.log(`      ${t.error.replace(/\n/g, '\n      ')}`);
    }
  }
  if (result.checks.length) console.log('  workbench (browser side):');
  for (const c of result.checks) {
    console.log(`    ${c.ok ? '✓' : '✗'} ${c.name} (${c.ms} ms)`);
    if (c.error) console.log(`      ${c.error.replace(/\n/g, '\n      ')}\n      screenshot: ${result.failureScreenshot}`);
  }
  if (result.error) console.log(`  ✗ ${result.error}`);
  const passed = (result.host?.passed ?? 0) + result.checks.filter((c) => c.ok).length;
  const failed = (result.host?.failed ?? 0) + result.checks.filter((c) => !c.ok).length + (result.error ? 1 : 0);
  return { passed, failed };
}
