// A small sequential test runner for the extension host: VS Code calls the bundle's run(),
// which runs each test in order, prints one line per test and writes the results as JSON to
// the file the harness names (ANOMALY_LENS_E2E_RESULTS); run() rejects when a test failed.
// The extension host ends when run() settles, so run() first waits for the harness to check
// the workbench from the browser side (it writes `<results>.checked` when done).
import { existsSync, renameSync, writeFileSync } from 'node:fs';

export interface TestResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

export interface SuiteResults {
  passed: number;
  failed: number;
  tests: TestResult[];
}

type TestBody = () => Promise<void> | void;

export class Suite {
  private readonly tests: { name: string; body: TestBody }[] = [];

  test(name: string, body: TestBody): void {
    this.tests.push({ name, body });
  }

  async run(timeoutMs = 30_000): Promise<SuiteResults> {
    const results: TestResult[] = [];
    for (const { name, body } of this.tests) {
      const start = Date.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(body),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        results.push({ name, ok: true, ms: Date.now() - start });
        console.log(`  ✓ ${name} (${Date.now() - start} ms)`);
      } catch (err) {
        const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
        results.push({ name, ok: false, ms: Date.now() - start, error });
        console.log(`  ✗ ${name}\n    ${error.replace(/\n/g, '\n    ')}`);
      } finally {
        clearTimeout(timer);
      }
    }
    const passed = results.filter((r) => r.ok).length;
    return { passed, failed: results.length - passed, tests: results };
  }
}

/** Runs the suite, hands the results to the harness, and fails when any test failed. */
export async function runAndReport(suite: Suite): Promise<void> {
  const results = await suite.run();
  const file = process.env.ANOMALY_LENS_E2E_RESULTS;
  console.log(`extension host: ${results.passed} passed, ${results.failed} failed`);
  if (file) {
    writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2));
    renameSync(`${file}.tmp`, file);
    await waitFor('the browser-side checks', () => existsSync(`${file}.checked`), 90_000).catch((err: Error) => console.log(err.message));
  }
  if (results.failed) throw new Error(`${results.failed} extension-host test(s) failed`);
}

/** Polls until `probe` returns a value other than undefined/false, or fails after `ms`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
