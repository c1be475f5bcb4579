// Runs the extension inside a real VS Code (code-server 4.100.3 = VS Code 1.100.3) driven by
// Debian's Chromium, offline.  Expects `npm run build` to have run and code-server to be
// installed (bash scripts/install-code-server.sh).   node --import tsx test/e2e/run.ts
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { codeServerEntry, startCodeServer, type RunningCodeServer } from './codeServer';
import { writeFixtureWorkspace } from './fixture';
import type { SuiteResults } from './suite/runner';
import { WORKBENCH_CHECKS } from './workbenchChecks';

const ROOT = resolve(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const RUN_TIMEOUT_MS = 180_000;
const FAILURE_SCREENSHOT = join(ROOT, 'out', 'e2e', 'failure.png');

async function waitForFile(file: string): Promise<void> {
  while (!existsSync(file)) await new Promise((r) => setTimeout(r, 100));
}

function fail(message: string): never {
  console.error(`e2e: ${message}`);
  process.exit(1);
}

async function bundleSuite(outFile: string): Promise<void> {
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['test/e2e/suite/index.ts'],
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

function testsUrl(port: number, workspace: string, testsJs: string): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(testsJs)],
  ];
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function main(): Promise<number> {
  const started = Date.now();
  let entry: string;
  try {
    entry = codeServerEntry(ROOT);
  } catch (err) {
    fail((err as Error).message);
  }
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) fail('dist/extension.js is missing; run: npm run build');
  if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing; run: apt-get install chromium`);

  const testsJs = join(ROOT, 'out', 'e2e', 'suite.js');
  mkdirSync(join(ROOT, 'out', 'e2e'), { recursive: true });
  await bundleSuite(testsJs);

  const home = mkdtempSync(join(tmpdir(), 'anomaly-lens-e2e-'));
  const workspace = join(home, 'workspace');
  mkdirSync(workspace);
  writeFixtureWorkspace(workspace);
  const resultsFile = join(home, 'results.json');

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

  const hostLog: string[] = [];
  let exitCode = 1;
  const checks: { name: string; ok: boolean; error?: string }[] = [];
  let host: SuiteResults | undefined;
  try {
    server = await startCodeServer({ entry, home, workspace, env: { ANOMALY_LENS_E2E_RESULTS: resultsFile } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage();
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((r) => (reportExit = r));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      hostLog.push(`[${type}] ${typeof args === 'string' ? args : JSON.stringify(args)}`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    await page.goto(testsUrl(server.port, workspace, testsJs));

    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result from the extension host within ${RUN_TIMEOUT_MS / 1000} s`)), RUN_TIMEOUT_MS);
    });
    try {
      // The extension-side tests write their results, then keep the extension host up
      // until the browser-side checks are done.
      const resultsWritten = waitForFile(resultsFile);
      const first = await Promise.race([exited.then(() => 'exited' as const), resultsWritten.then(() => 'results' as const), timeout]);
      if (first === 'results') {
        host = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults;
        for (const check of WORKBENCH_CHECKS) {
          try {
            await check.run(page);
            checks.push({ name: check.name, ok: true });
          } catch (err) {
            checks.push({ name: check.name, ok: false, error: (err as Error).message.split('\n')[0] });
            await page.screenshot({ path: FAILURE_SCREENSHOT }).catch(() => undefined);
          }
        }
        writeFileSync(`${resultsFile}.checked`, '');
      }
      exitCode = await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
    if (!host && existsSync(resultsFile)) host = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults;
  } catch (err) {
    console.error(`e2e: ${(err as Error).message}`);
    exitCode = 1;
  } finally {
    const failedRun = exitCode !== 0 || checks.some((c) => !c.ok) || !host || host.failed > 0;
    if (failedRun) {
      console.log('--- workbench log ---');
      console.log(hostLog.filter((l) => /^\[(error|warn)\]/.test(l)).slice(-60).join('\n'));
      console.log('--- code-server output ---');
      console.log((server?.log() ?? '').split('\n').slice(-40).join('\n'));
    }
    await cleanup();
  }

  console.log('extension host tests:');
  for (const t of host?.tests ?? []) {
    console.log(`  ${t.ok ? '✓' : '✗'} ${t.name} (${t.ms} ms)`);
    if (t.error) console.log(`    ${t.error.replace(/\n/g, '\n    ')}`);
  }
  if (!host) console.log('  (no results: the test module did not run to its end; see the logs above)');
  console.log('workbench checks (browser side):');
  for (const c of checks) console.log(`  ${c.ok ? '✓' : '✗'} ${c.name}${c.error ? `\n    ${c.error}\n    screenshot: ${FAILURE_SCREENSHOT}` : ''}`);
  const checksPassed = checks.filter((c) => c.ok).length;
  const checksFailed = checks.length - checksPassed;
  const passed = (host?.passed ?? 0) + checksPassed;
  const failed = (host?.failed ?? 0) + checksFailed + (host ? 0 : 1);
  console.log(`e2e finished in ${((Date.now() - started) / 1000).toFixed(1)} s (VS Code 1.100.3; exit code reported by the workbench: ${exitCode})`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || exitCode !== 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)),
);
