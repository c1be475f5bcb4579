// Runs the extension inside a real VS Code (code-server 4.100.3 = VS Code 1.100.3) driven by
// Debian's Chromium, offline. Expects `npm run build` to have run and code-server to be
// installed (bash scripts/install-code-server.sh).
//   node --import tsx test/e2e/run.ts [workspace] [journey] [walkthrough] [maskEditor] [language] [vsix]
// Sessions, each in a fresh code-server with its own user data, extensions and workspace:
//   workspace  extension-host tests on the fixture datasets, then browser-side checks
//   journey    a new user in an empty workspace, from the command palette only
//   walkthrough a new user in an empty workspace, from the walkthrough's offer and its steps' buttons
//   maskEditor an MVTec image in the mask editor (draw, undo, redo, save, describe) and the Review view
//   language   a built dataset's test.jsonl: code lenses, hovers, a quick fix, Go to Definition, a broken line
//   vsix       `npm run package`'s VSIX installed with --install-extension: activates, describes
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerEntry } from './codeServer';
import { writeFixtureWorkspace } from './fixture';
import { CHROMIUM, ROOT, SCREENSHOTS, report, runSession, type SessionSpec } from './harness';
import { JOURNEY } from './journey';
import { LANGUAGE_CHECKS, prepareLanguageWorkspace } from './language';
import { MASK_EDITOR_CHECKS, prepareMaskEditorWorkspace } from './maskEditor';
import { vsixSession } from './vsix/session';
import { WALKTHROUGH_CHECKS } from './walkthrough';
import { WORKBENCH_CHECKS } from './workbenchChecks';

function fail(message: string): never {
  console.error(`e2e: ${message}`);
  process.exit(1);
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

  // Each session's time-out is a cap for a machine busy with other work, not an expected length:
  // a session ends as soon as its checks do.
  const sessions: Record<string, () => SessionSpec | Promise<SessionSpec>> = {
    workspace: () => ({
      name: 'workspace',
      entry,
      prepare: (workspace) => writeFixtureWorkspace(workspace),
      extensionDevelopmentPath: ROOT,
      hostTests: join(ROOT, 'test', 'e2e', 'suite', 'index.ts'),
      checks: WORKBENCH_CHECKS,
      timeoutMs: 360_000,
    }),
    journey: () => ({
      name: 'journey',
      entry,
      extensionDevelopmentPath: ROOT,
      // ANOMALY_LENS_E2E_STEPS=1,2,7 runs only those steps (1-based), for work on one of them.
      checks: (process.env.ANOMALY_LENS_E2E_STEPS ?? '').trim() ? process.env.ANOMALY_LENS_E2E_STEPS!.split(',').map((n) => JOURNEY[Number(n) - 1]).filter(Boolean) : JOURNEY,
      timeoutMs: 420_000,
    }),
    walkthrough: () => ({
      name: 'walkthrough',
      entry,
      extensionDevelopmentPath: ROOT,
      checks: WALKTHROUGH_CHECKS,
      // Offered as VS Code offers an extension's walkthrough (the other sessions turn it off).
      settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true },
      timeoutMs: 300_000,
    }),
    maskEditor: () => ({
      name: 'maskEditor',
      entry,
      prepare: (workspace) => prepareMaskEditorWorkspace(workspace),
      extensionDevelopmentPath: ROOT,
      checks: MASK_EDITOR_CHECKS,
      timeoutMs: 600_000,
    }),
    language: () => ({
      name: 'language',
      entry,
      prepare: (workspace) => prepareLanguageWorkspace(workspace),
      extensionDevelopmentPath: ROOT,
      checks: LANGUAGE_CHECKS,
      timeoutMs: 480_000,
    }),
    vsix: () => vsixSession(entry),
  };
  const wanted = process.argv.slice(2);
  for (const name of wanted) if (!sessions[name]) fail(`unknown session ${name}: one of ${Object.keys(sessions).join(', ')}`);

  let passed = 0;
  let failed = 0;
  for (const name of wanted.length ? wanted : Object.keys(sessions)) {
    const counts = report(await runSession(await sessions[name]()));
    passed += counts.passed;
    failed += counts.failed;
  }
  console.log(`\ne2e finished in ${((Date.now() - started) / 1000).toFixed(1)} s (VS Code 1.100.3); screenshots in ${SCREENSHOTS}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)),
);
